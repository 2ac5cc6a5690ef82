namespace Agents.Testing.Models;

/// <summary>
/// Model folders built around tests/models/tiny-io/model.onnx (made by its committed script), in a test's temp folder; a
/// test project that uses them copies that file to models/tiny-io/ in its output.
/// </summary>
public static class TinyModelFolders
{
    public static readonly string TinyOnnx = Path.Combine(AppContext.BaseDirectory, "models", "tiny-io", "model.onnx");

    public const string GenAIConfig = """
        {"model": {"type": "llama", "context_length": 2048, "vocab_size": 64,
          "decoder": {"filename": "model.onnx", "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "hidden_size": 8, "head_size": 2}}}
        """;

    public const string BertConfig = """
        {"model_type": "bert", "num_hidden_layers": 2, "num_attention_heads": 2, "hidden_size": 8, "vocab_size": 64, "max_position_embeddings": 128}
        """;

    public static string GenAI(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(TinyOnnx, Path.Combine(folder, "model.onnx"));
        File.WriteAllText(Path.Combine(folder, "genai_config.json"), GenAIConfig);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{}");
        return folder;
    }

    /// <summary>The sentence-transformers layout: config and vocabulary at the top, the export in <c>onnx/</c>.</summary>
    public static string Embedding(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "onnx"));
        File.Copy(TinyOnnx, Path.Combine(folder, "onnx", "model.onnx"));
        File.WriteAllText(Path.Combine(folder, "config.json"), BertConfig);
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n");
        return folder;
    }
}
