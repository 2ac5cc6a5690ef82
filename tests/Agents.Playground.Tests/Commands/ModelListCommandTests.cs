using System.Text.Json;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Playground.Tests.Commands;

public sealed class ModelListCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Lists_the_models_in_a_cache_folder_with_kind_type_and_size()
    {
        var cache = Cache();

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "list", "--dir", cache);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Models in {cache}:", lines[0]);
        Assert.StartsWith("  acme/bert        embedding bert    ", lines[1]);
        Assert.StartsWith("  acme/llama/cpu   genai llama       ", lines[2]);
        Assert.StartsWith("  acme/unfinished  (incomplete)      ", lines[3]);
        Assert.EndsWith("! it holds only unfinished downloads; pull again to resume them.", lines[3]);
    }

    [Fact]
    public async Task Json_lists_every_model_and_reads_the_cache_from_agents_models()
    {
        var cache = Cache();

        var result = await AgentsProcess.RunAsync(_folder.Path, null, new Dictionary<string, string> { ["AGENTS_MODELS"] = cache }, "model", "list", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(cache, json.GetProperty("cache").GetString());
        var models = json.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["acme/bert", "acme/llama/cpu", "acme/unfinished"], models.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(("genai", "llama"), (models[1].GetProperty("kind").GetString(), models[1].GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Null, models[2].GetProperty("kind").ValueKind);
    }

    [Fact]
    public async Task An_empty_cache_says_how_to_add_a_model()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "model", "list", "--dir", _folder.PathOf("none"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"No models in {_folder.PathOf("none")}; add one with 'agents model pull'.", result.Stdout.Trim());
    }

    private string Cache()
    {
        var cache = _folder.PathOf("cache");
        TinyModelFolders.GenAI(Path.Combine(cache, "acme", "llama", "cpu"));
        TinyModelFolders.Embedding(Path.Combine(cache, "acme", "bert"));
        Directory.CreateDirectory(Path.Combine(cache, "acme", "unfinished"));
        File.WriteAllBytes(Path.Combine(cache, "acme", "unfinished", "model.onnx.partial"), new byte[10]);
        return cache;
    }
}
