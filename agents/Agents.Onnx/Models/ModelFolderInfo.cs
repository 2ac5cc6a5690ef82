using System.Text.Json;

namespace Agents.Onnx.Models;

/// <summary>
/// What a model folder holds, read from its configuration and its ONNX file's header (the weights are not loaded):
/// an ONNX Runtime GenAI decoder (<c>genai_config.json</c>) or a sentence-embedding encoder (<c>config.json</c> with
/// <c>model.onnx</c>).
/// </summary>
public sealed class ModelFolderInfo
{
    private const string GenAIConfig = "genai_config.json";
    private const string HuggingFaceConfig = "config.json";

    private static readonly string[] TokenizerFileNames = ["tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.txt", "special_tokens_map.json"];

    private ModelFolderInfo()
    {
    }

    /// <summary>The folder's full path.</summary>
    public required string Path { get; init; }

    public required ModelFolderKind Kind { get; init; }

    /// <summary>The architecture the configuration names: <c>phi3</c>, <c>llama</c>, <c>qwen2</c>, <c>bert</c>…</summary>
    public string? ModelType { get; init; }

    public int? Layers { get; init; }

    public int? AttentionHeads { get; init; }

    /// <summary>Key/value heads of grouped-query attention; null for models without it (BERT).</summary>
    public int? KeyValueHeads { get; init; }

    public int? HiddenSize { get; init; }

    public int? VocabularySize { get; init; }

    /// <summary>The most tokens the model takes: GenAI's <c>context_length</c>, BERT's <c>max_position_embeddings</c>.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The full path of the ONNX graph.</summary>
    public required string OnnxFile { get; init; }

    /// <summary>The ONNX graph's bytes together with its external weights file (<c>NAME.onnx.data</c>) when there is one.</summary>
    public required long OnnxBytes { get; init; }

    public required IReadOnlyList<OnnxValueInfo> Inputs { get; init; }

    public required IReadOnlyList<OnnxValueInfo> Outputs { get; init; }

    /// <summary>The default-domain opset the graph imports.</summary>
    public long? OpsetVersion { get; init; }

    /// <summary>The tool that wrote the graph, e.g. <c>onnxruntime-genai</c> or <c>pytorch</c>.</summary>
    public string? Producer { get; init; }

    /// <summary>The tokenizer files present, by name.</summary>
    public required IReadOnlyList<string> TokenizerFiles { get; init; }

    /// <summary>All files in the folder together.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>What kind of model <paramref name="directory"/> holds, from its file names alone; null when it is not a model folder.</summary>
    public static ModelFolderKind? Detect(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (File.Exists(System.IO.Path.Combine(directory, GenAIConfig)))
        {
            return ModelFolderKind.GenAI;
        }

        return File.Exists(System.IO.Path.Combine(directory, HuggingFaceConfig)) && FindEmbeddingGraph(directory) is not null
            ? ModelFolderKind.SentenceEmbedding
            : null;
    }

    /// <summary>Describes the model in <paramref name="directory"/>.</summary>
    /// <exception cref="ModelFolderException">The folder is missing, is not a model folder, or a file it needs is missing or malformed.</exception>
    public static ModelFolderInfo Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new ModelFolderException($"'{directory}' is not a folder; give the folder a model was pulled into.");
        }

        if (File.Exists(System.IO.Path.Combine(full, GenAIConfig)))
        {
            return ReadGenAI(full);
        }

        if (File.Exists(System.IO.Path.Combine(full, HuggingFaceConfig)))
        {
            var graph = FindEmbeddingGraph(full) ?? throw new ModelFolderException(
                $"'{directory}' has config.json but no model.onnx or onnx/model.onnx; pull the model's ONNX export into it.");
            return ReadEmbedding(full, graph);
        }

        throw new ModelFolderException(
            $"'{directory}' is not a model folder: it has neither genai_config.json (an ONNX Runtime GenAI model) nor config.json with model.onnx (a sentence-embedding model).");
    }

    private static ModelFolderInfo ReadGenAI(string folder)
    {
        using var config = ReadJson(folder, GenAIConfig);
        var model = Object(config.RootElement, "model") ?? throw Malformed(folder, GenAIConfig, "it has no \"model\" object");
        var decoder = Object(model, "decoder") ?? throw Malformed(folder, GenAIConfig, "it has no \"model.decoder\" object");
        var fileName = String(decoder, "filename") ?? throw Malformed(folder, GenAIConfig, "it names no \"model.decoder.filename\"");
        if (fileName != System.IO.Path.GetFileName(fileName) || fileName is "." or "..")
        {
            throw Malformed(folder, GenAIConfig, $"its decoder file '{fileName}' is not a file name inside the folder");
        }

        var tokenizers = TokenizerFilesIn(folder);
        if (!tokenizers.Contains("tokenizer.json") && !tokenizers.Contains("tokenizer.model"))
        {
            throw new ModelFolderException($"'{folder}' has no tokenizer.json or tokenizer.model; pull the model's tokenizer files into it.");
        }

        var graph = System.IO.Path.Combine(folder, fileName);
        return Describe(folder, ModelFolderKind.GenAI, graph, tokenizers, String(model, "type"), decoder, Int(model, "vocab_size"), Int(model, "context_length"));
    }

    private static ModelFolderInfo ReadEmbedding(string folder, string graph)
    {
        using var config = ReadJson(folder, HuggingFaceConfig);
        var root = config.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(folder, HuggingFaceConfig, "it is not a JSON object");
        }

        var tokenizers = TokenizerFilesIn(folder);
        if (!tokenizers.Contains("vocab.txt") && !tokenizers.Contains("tokenizer.json"))
        {
            throw new ModelFolderException($"'{folder}' has no vocab.txt or tokenizer.json; pull the model's tokenizer files into it.");
        }

        return Describe(folder, ModelFolderKind.SentenceEmbedding, graph, tokenizers, String(root, "model_type"), root, Int(root, "vocab_size"), Int(root, "max_position_embeddings"));
    }

    /// <param name="layers">The object with Hugging Face's layer and head counts: GenAI's <c>model.decoder</c>, the whole of config.json.</param>
    private static ModelFolderInfo Describe(
        string folder, ModelFolderKind kind, string graph, List<string> tokenizers, string? type, JsonElement layers, int? vocabulary, int? context)
    {
        var signature = OnnxGraphSignature.Read(graph);
        return new ModelFolderInfo
        {
            Path = folder,
            Kind = kind,
            ModelType = type,
            Layers = Int(layers, "num_hidden_layers"),
            AttentionHeads = Int(layers, "num_attention_heads"),
            KeyValueHeads = Int(layers, "num_key_value_heads"),
            HiddenSize = Int(layers, "hidden_size"),
            VocabularySize = vocabulary,
            ContextLength = context,
            OnnxFile = graph,
            OnnxBytes = GraphBytes(graph),
            Inputs = signature.Inputs,
            Outputs = signature.Outputs,
            OpsetVersion = signature.OpsetVersion,
            Producer = signature.Producer,
            TokenizerFiles = tokenizers,
            SizeBytes = FolderBytes(folder),
        };
    }

    /// <summary>Sentence-transformers repositories keep the export in <c>onnx/</c>; hand-made folders keep it beside config.json.</summary>
    private static string? FindEmbeddingGraph(string folder) =>
        new[] { System.IO.Path.Combine(folder, "model.onnx"), System.IO.Path.Combine(folder, "onnx", "model.onnx") }.FirstOrDefault(File.Exists);

    private static JsonDocument ReadJson(string folder, string name)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, name)));
        }
        catch (JsonException ex)
        {
            throw Malformed(folder, name, $"it is not valid JSON: {ex.Message.TrimEnd('.')}", ex);
        }
    }

    private static ModelFolderException Malformed(string folder, string name, string why, Exception? inner = null) =>
        new($"'{System.IO.Path.Combine(folder, name)}' cannot be read as a model configuration ({why}); pull the model again or fix the file.", inner);

    private static List<string> TokenizerFilesIn(string folder) =>
        [.. TokenizerFileNames.Where(name => File.Exists(System.IO.Path.Combine(folder, name)))];

    private static long GraphBytes(string graph) =>
        new FileInfo(graph).Length + (File.Exists(graph + ".data") ? new FileInfo(graph + ".data").Length : 0);

    internal static long FolderBytes(string folder) =>
        new DirectoryInfo(folder)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Sum(file => file.Length);

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}
