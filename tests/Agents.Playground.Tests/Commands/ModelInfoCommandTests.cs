using System.Text.Json;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Playground.Tests.Commands;

public sealed class ModelInfoCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Describes_a_genai_folder_with_its_onnx_inputs_and_outputs()
    {
        var folder = TinyModelFolders.GenAI(_folder.PathOf("llama"));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "info", folder);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var text = result.Stdout.ReplaceLineEndings("\n");
        Assert.Contains("  kind            genai (ONNX Runtime GenAI decoder)\n  type            llama\n  layers          2\n  heads           4\n  kv heads        2\n  hidden size     8\n  vocabulary      64\n  context length  2,048\n", text);
        Assert.Contains("  onnx file       model.onnx (2.4 KiB, opset 17, by agents-tests)\n", text);
        Assert.Contains("  inputs\n    input_ids int64[batch_size, sequence_length]\n    attention_mask int64[batch_size, sequence_length]\n  outputs\n    last_hidden_state float[batch_size, sequence_length, 8]\n", text);
    }

    [Fact]
    public async Task Json_describes_an_embedding_folder()
    {
        var folder = TinyModelFolders.Embedding(_folder.PathOf("bert"));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "info", folder, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(("embedding", "bert", 128), (json.GetProperty("kind").GetString(), json.GetProperty("type").GetString(), json.GetProperty("contextLength").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("keyValueHeads").ValueKind);
        Assert.Equal(["input_ids", "attention_mask"], json.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["batch_size", "sequence_length", "8"], json.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task A_folder_that_is_not_a_model_fails_in_one_sentence()
    {
        var folder = _folder.PathOf("notes");
        Directory.CreateDirectory(folder);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "info", folder);

        result.AssertOneSentenceFailure(1);
        Assert.Equal($"'{folder}' is not a model folder: it has neither genai_config.json (an ONNX Runtime GenAI model) nor config.json with model.onnx (a sentence-embedding model).", result.StderrLines[0]);
    }

    [Fact]
    public async Task A_corrupt_onnx_file_fails_in_one_sentence()
    {
        var folder = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        File.WriteAllText(Path.Combine(folder, "model.onnx"), "<html>Access denied</html>");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "info", folder);

        result.AssertOneSentenceFailure(1);
        Assert.EndsWith("the file is corrupt or truncated, so pull it again.", result.StderrLines[0]);
    }

    [Fact]
    public async Task A_file_instead_of_a_folder_is_a_usage_error()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "info", TinyModelFolders.TinyOnnx);

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"'{TinyModelFolders.TinyOnnx}' is a file; give the folder that holds the model.", result.StderrLines[0]);
    }
}
