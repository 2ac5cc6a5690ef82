using System.Text.Json;

namespace Agents.Onnx.Tests.Embeddings;

/// <summary>The tiny BERT embedders of tests/models (made by make_tiny_bert.py) and their golden outputs.</summary>
internal static class TinyBert
{
    /// <summary>input_ids, attention_mask, token_type_ids → last_hidden_state; golden.json is its numpy reference.</summary>
    public static string Path { get; } = ModelFolder("tiny-bert");

    /// <summary>The same weights with mean pooling inside the graph: input_ids, attention_mask → sentence_embedding.</summary>
    public static string PooledPath { get; } = ModelFolder("tiny-bert-pooled");

    /// <summary>A graph with names no text embedder has: pixel_values → logits.</summary>
    public static string OddInputsPath { get; } = ModelFolder("tiny-bert-odd-io");

    public static GoldenFile Golden { get; } = JsonSerializer.Deserialize<GoldenFile>(
        File.ReadAllText(System.IO.Path.Combine(Path, "golden.json")),
        new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;

    public static IEnumerable<object[]> SentenceIndexes => Enumerable.Range(0, Golden.Sentences.Count).Select(i => new object[] { i });

    private static string ModelFolder(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", name);

    public sealed record GoldenFile(int MaxLength, int HiddenSize, IReadOnlyList<GoldenSentence> Sentences);

    public sealed record GoldenSentence(string Text, int[] Ids, float[] Mean, float[] Cls);
}
