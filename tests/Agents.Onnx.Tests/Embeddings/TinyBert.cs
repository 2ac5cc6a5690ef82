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

    /// <summary>Copies a model folder into <paramref name="target"/>, so a test can break or change it.</summary>
    public static string CopyTo(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private static string ModelFolder(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", name);

    public sealed record GoldenFile(int MaxLength, int HiddenSize, IReadOnlyList<GoldenSentence> Sentences);

    public sealed record GoldenSentence(string Text, int[] Ids, float[] Mean, float[] Cls);
}
