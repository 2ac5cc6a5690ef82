using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Tests;

/// <summary>
/// A deterministic embedding model for tests: each lower-cased word adds 1 to the dimension its FNV-1a hash picks, and
/// the sum is scaled to unit length. Texts sharing words are close, so vector rankings can be checked by hand.
/// </summary>
public sealed partial class WordHashEmbeddingGenerator(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _texts;

    public int Dimensions { get; } = dimensions;

    /// <summary>How many texts were embedded so far, to show a generator was (or was not) called.</summary>
    public int TextsEmbedded => Volatile.Read(ref _texts);

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (Match word in WordPattern().Matches(text.ToLowerInvariant()))
        {
            vector[Bucket(word.Value)] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : [.. vector.Select(v => v / norm)];
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v))));
        Interlocked.Add(ref _texts, embeddings.Count);
        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private int Bucket(string word)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(word))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)Dimensions);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
