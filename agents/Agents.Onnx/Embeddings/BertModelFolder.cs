using System.Globalization;
using System.Text.Json;

namespace Agents.Onnx.Embeddings;

/// <summary>
/// What a BERT-family sentence-embedding folder says about itself, in the layout Hugging Face and sentence-transformers
/// ONNX exports use: model.onnx (or onnx/model.onnx), vocab.txt, config.json, tokenizer_config.json,
/// sentence_bert_config.json and 1_Pooling/config.json. Only the model and the vocabulary are required; each setting a
/// missing file would give takes the Hugging Face BertTokenizer's default.
/// </summary>
internal sealed record BertModelFolder(
    string Directory,
    string ModelFile,
    string VocabFile,
    bool LowerCase,
    bool StripAccents,
    bool TokenizeCjk,
    int MaxTokens,
    int? HiddenSize,
    OnnxEmbeddingPooling? Pooling)
{
    /// <summary>BERT's position table size, for a folder that states no limit.</summary>
    private const int DefaultMaxTokens = 512;

    /// <summary>Hugging Face writes a huge model_max_length (int(1e30)) when a tokenizer has no limit of its own.</summary>
    private const long NoLimitSentinel = 1_000_000;

    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks the model or the vocabulary.</exception>
    /// <exception cref="InvalidDataException">A configuration file is not valid JSON, or asks for a pooling this generator lacks.</exception>
    public static BertModelFolder Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetFullPath(path);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The embedding model folder '{directory}' does not exist.");
        }

        var model = new[] { "model.onnx", Path.Combine("onnx", "model.onnx") }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"The embedding model folder '{directory}' has no model.onnx (nor onnx/model.onnx); it needs the ONNX export of a sentence-embedding model.", Path.Combine(directory, "model.onnx"));
        var vocab = Path.Combine(directory, "vocab.txt");
        if (!File.Exists(vocab))
        {
            throw new FileNotFoundException($"The embedding model folder '{directory}' has no vocab.txt; it needs the WordPiece vocabulary of a BERT-family model.", vocab);
        }

        using var config = ReadJson(directory, "config.json");
        using var tokenizer = ReadJson(directory, "tokenizer_config.json");
        using var sentenceBert = ReadJson(directory, "sentence_bert_config.json");
        using var pooling = ReadJson(directory, Path.Combine("1_Pooling", "config.json"));

        var lowerCase = Boolean(tokenizer, "do_lower_case") ?? true;
        return new BertModelFolder(
            directory,
            model,
            vocab,
            lowerCase,
            StripAccents: Boolean(tokenizer, "strip_accents") ?? lowerCase,
            TokenizeCjk: Boolean(tokenizer, "tokenize_chinese_chars") ?? true,
            MaxTokens: ReadMaxTokens(config, tokenizer, sentenceBert),
            HiddenSize: Integer(config, "hidden_size") is { } hidden and > 0 and < int.MaxValue ? (int)hidden : null,
            ReadPooling(pooling, Path.Combine(directory, "1_Pooling", "config.json")));
    }

    // sentence-transformers cuts at sentence_bert_config's max_seq_length, else the tokenizer's model_max_length;
    // neither may exceed the position table.
    private static int ReadMaxTokens(JsonDocument? config, JsonDocument? tokenizer, JsonDocument? sentenceBert)
    {
        var tokenizerLimit = Integer(tokenizer, "model_max_length");
        var stated = Integer(sentenceBert, "max_seq_length") ?? (tokenizerLimit < NoLimitSentinel ? tokenizerLimit : null);
        var positions = Integer(config, "max_position_embeddings");
        var limit = (stated, positions) switch
        {
            ({ } s, { } p) => Math.Min(s, p),
            ({ } s, null) => s,
            (null, { } p) => p,
            _ => DefaultMaxTokens,
        };
        return (int)Math.Clamp(limit, 2, NoLimitSentinel);
    }

    private static OnnxEmbeddingPooling? ReadPooling(JsonDocument? pooling, string file)
    {
        if (pooling is null)
        {
            return null;
        }

        if (Boolean(pooling, "pooling_mode_cls_token") == true)
        {
            return OnnxEmbeddingPooling.Cls;
        }

        if (Boolean(pooling, "pooling_mode_mean_tokens") == true)
        {
            return OnnxEmbeddingPooling.Mean;
        }

        throw new InvalidDataException($"'{file}' asks for a pooling other than mean or CLS, which this generator does not do; set OnnxEmbeddingGeneratorOptions.Pooling to choose one.");
    }

    private static JsonDocument? ReadJson(string directory, string name)
    {
        var file = Path.Combine(directory, name);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            throw new InvalidDataException($"'{file}' is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{file}' is not valid JSON ({ex.Message}).", ex);
        }
    }

    private static bool? Boolean(JsonDocument? document, string name) =>
        document is not null && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static long? Integer(JsonDocument? document, string name)
    {
        if (document is null || !document.RootElement.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        // model_max_length may be written as 1e30, which is no Int64.
        return value.TryGetInt64(out var integer) ? integer
            : double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? (long)Math.Min(real, long.MaxValue)
            : null;
    }
}
