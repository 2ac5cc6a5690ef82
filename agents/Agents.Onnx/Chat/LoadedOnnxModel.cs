using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Chat;

/// <summary>
/// One model folder loaded into ONNX Runtime GenAI: the model, its tokenizer and what its configuration
/// says (context window, end tokens, chat template). Shared by every client of the same folder through
/// <see cref="OnnxModelCache"/>; generation on it is serialised by <see cref="Gate"/>.
/// </summary>
internal sealed class LoadedOnnxModel : IDisposable
{
    private LoadedOnnxModel(string folder, Model model, Tokenizer tokenizer, OnnxDevice device, int contextLength, string? chatTemplate)
    {
        Folder = folder;
        Model = model;
        Tokenizer = tokenizer;
        Device = device;
        ContextLength = contextLength;
        ChatTemplate = chatTemplate;
        EndTokenIds = tokenizer.GetEosTokenIds().ToArray();
    }

    public string Folder { get; }

    public Model Model { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>Where the model really runs: <see cref="OnnxDevice.Auto"/> resolved.</summary>
    public OnnxDevice Device { get; }

    public int ContextLength { get; }

    public int[] EndTokenIds { get; }

    /// <summary>The Jinja chat template from tokenizer_config.json or chat_template.jinja; null when the folder has none.</summary>
    public string? ChatTemplate { get; }

    /// <summary>One generation at a time per model: GenAI runs each step on all cores already, so parallel requests would only contend.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public static LoadedOnnxModel Load(string folder, OnnxDevice device, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            throw new OnnxModelException($"The model folder {folder} does not exist; pass the folder that holds genai_config.json (agents model pull can download one).");
        }

        var configPath = Path.Combine(folder, "genai_config.json");
        if (!File.Exists(configPath))
        {
            throw new OnnxModelException($"{folder} has no genai_config.json, so it is not an ONNX Runtime GenAI model folder; use a folder exported for GenAI (such as Microsoft's *-onnx releases).");
        }

        var contextLength = ReadContextLength(configPath);

        // GenAI refuses a malformed tokenizer file but the process then dies later in native code, so they are read here first.
        var chatTemplate = ReadChatTemplate(folder);
        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(tokenizerPath))
        {
            ParseJson(tokenizerPath).Dispose();
        }

        var (model, resolved) = LoadModel(folder, device, logger);
        try
        {
            var tokenizer = new Tokenizer(model);
            return new LoadedOnnxModel(folder, model, tokenizer, resolved, contextLength, chatTemplate);
        }
        catch (OnnxRuntimeGenAIException ex)
        {
            model.Dispose();
            throw new OnnxModelException($"The tokenizer in {folder} could not be loaded: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        Tokenizer.Dispose();
        Model.Dispose();
        Gate.Dispose();
    }

    private static (Model Model, OnnxDevice Device) LoadModel(string folder, OnnxDevice device, ILogger logger)
    {
        if (device == OnnxDevice.Cpu)
        {
            return (Open(folder, cuda: false), OnnxDevice.Cpu);
        }

        try
        {
            return (Open(folder, cuda: true), OnnxDevice.Cuda);
        }
        catch (OnnxModelException ex) when (device == OnnxDevice.Auto && ex.InnerException?.Message.Contains("Cuda", StringComparison.OrdinalIgnoreCase) == true)
        {
            logger.LogInformation("CUDA is not available to ONNX Runtime GenAI here ({Reason}); the model runs on the CPU.", ex.InnerException.Message);
            return (Open(folder, cuda: false), OnnxDevice.Cpu);
        }
    }

    private static Model Open(string folder, bool cuda)
    {
        using var config = new Config(folder);
        try
        {
            config.ClearProviders();
            if (cuda)
            {
                config.AppendProvider("cuda");
            }

            return new Model(config);
        }
        catch (OnnxRuntimeGenAIException ex) when (cuda && ex.Message.Contains("Cuda", StringComparison.OrdinalIgnoreCase))
        {
            throw new OnnxModelException(
                "This build of ONNX Runtime GenAI cannot use CUDA; reference Microsoft.ML.OnnxRuntimeGenAI.Cuda instead of Microsoft.ML.OnnxRuntimeGenAI, or choose OnnxDevice.Cpu or Auto.", ex);
        }
        catch (OnnxRuntimeGenAIException ex)
        {
            throw new OnnxModelException($"The model in {folder} could not be loaded: {ex.Message}", ex);
        }
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new OnnxModelException($"{path} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static int ReadContextLength(string configPath)
    {
        using var json = ParseJson(configPath);
        if (json.RootElement.TryGetProperty("model", out var model) && model.TryGetProperty("context_length", out var length) && length.TryGetInt32(out var value) && value > 0)
        {
            return value;
        }

        throw new OnnxModelException($"{configPath} does not say the model's context window (model.context_length).");
    }

    private static string? ReadChatTemplate(string folder)
    {
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        using var json = File.Exists(configPath) ? ParseJson(configPath) : null;
        var jinja = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(jinja))
        {
            return File.ReadAllText(jinja);
        }

        if (json is null || !json.RootElement.TryGetProperty("chat_template", out var template))
        {
            return null;
        }

        // Some models ship several named templates; the one named "default" is the chat one.
        return template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            JsonValueKind.Array => template.EnumerateArray()
                .Where(t => t.TryGetProperty("name", out var name) && name.GetString() == "default")
                .Select(t => t.GetProperty("template").GetString())
                .FirstOrDefault(),
            _ => null,
        };
    }
}
