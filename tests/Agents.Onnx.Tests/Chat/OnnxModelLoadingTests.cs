using System.Text.Json.Nodes;
using Agents.Onnx.Chat;
using Agents.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Agents.Onnx.Tests.Chat;

public sealed class OnnxModelLoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_missing_folder_is_a_clear_error()
    {
        var missing = _temp.PathOf("nowhere");

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(missing));

        Assert.Equal($"The model folder {missing} does not exist; pass the folder that holds genai_config.json (agents model pull can download one).", error.Message);
    }

    [Fact]
    public void A_folder_without_genai_config_is_a_clear_error()
    {
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        File.Delete(Path.Combine(folder, "genai_config.json"));

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(folder));

        Assert.StartsWith($"{folder} has no genai_config.json, so it is not an ONNX Runtime GenAI model folder", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData(new byte[0])]
    public void A_corrupt_model_file_is_a_clear_error(byte[] content)
    {
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), content);

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(folder));

        Assert.StartsWith($"The model in {folder} could not be loaded: ", error.Message);
        Assert.Contains("model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_is_a_clear_error()
    {
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        File.Delete(Path.Combine(folder, "model.onnx"));

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(folder));

        Assert.StartsWith($"The model in {folder} could not be loaded: ", error.Message);
    }

    [Fact]
    public void A_config_without_a_context_window_is_a_clear_error()
    {
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        var configPath = Path.Combine(folder, "genai_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["model"]!.AsObject().Remove("context_length");
        File.WriteAllText(configPath, config.ToJsonString());

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(folder));

        Assert.Equal($"{configPath} does not say the model's context window (model.context_length).", error.Message);
    }

    [Fact]
    public async Task A_folder_without_a_chat_template_needs_one_configured()
    {
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config.Remove("chat_template");
        File.WriteAllText(configPath, config.ToJsonString());
        using var client = new OnnxChatClient(folder);
        using var configured = new OnnxChatClient(folder, new OnnxChatClientOptions { ChatTemplate = "{% for m in messages %}{{ m.content }}{% endfor %}" });

        var error = await Assert.ThrowsAsync<OnnxModelException>(() => client.GetResponseAsync([new(ChatRole.User, "Hello")]));
        var reply = await configured.GetResponseAsync([new(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 2 });

        Assert.Equal($"The model folder {folder} has no chat template (tokenizer_config.json \"chat_template\" or chat_template.jinja); set OnnxChatClientOptions.ChatTemplate.", error.Message);
        Assert.Equal(2, reply.Usage!.OutputTokenCount);
    }

    [Theory]
    [InlineData("tokenizer_config.json")]
    [InlineData("tokenizer.json")]
    [InlineData("genai_config.json")]
    public void A_malformed_json_file_is_a_clear_error(string file)
    {
        // Handed to GenAI, a malformed tokenizer file is refused but crashes the process later in native code.
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");
        File.WriteAllText(Path.Combine(folder, file), "{ \"chat_template\": ");

        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(folder));

        Assert.StartsWith($"{Path.Combine(folder, file)} is not valid JSON: ", error.Message);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_with_one_logged_sentence()
    {
        using var loggers = new LoggerFactory();
        var collector = new FakeLogCollector();
        loggers.AddProvider(new FakeLoggerProvider(collector));
        var folder = _temp.CopyFolder(TinyModels.Llama, "model");

        using var client = new OnnxChatClient(folder, new OnnxChatClientOptions { Device = OnnxDevice.Auto, LoggerFactory = loggers });

        Assert.Equal(OnnxDevice.Cpu, client.Device);
        var record = Assert.Single(collector.GetSnapshot());
        Assert.StartsWith("CUDA is not available to ONNX Runtime GenAI here (", record.Message);
        Assert.EndsWith("); the model runs on the CPU.", record.Message);
    }

    [Fact]
    public void Cuda_on_a_cpu_only_build_is_a_clear_error()
    {
        var error = Assert.Throws<OnnxModelException>(() => new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { Device = OnnxDevice.Cuda }));

        Assert.Equal("This build of ONNX Runtime GenAI cannot use CUDA; reference Microsoft.ML.OnnxRuntimeGenAI.Cuda instead of Microsoft.ML.OnnxRuntimeGenAI, or choose OnnxDevice.Cpu or Auto.", error.Message);
    }
}
