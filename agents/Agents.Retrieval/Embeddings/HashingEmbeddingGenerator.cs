using System.Globalization;
using Agents.Retrieval.Vectors;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// A deterministic embedding generator that needs no model and no network: <b>lexical, not semantic</b>. Texts that
/// share words or spellings come out close; synonyms and paraphrases do not. It is for tests (rankings that can be
/// checked) and a fully offline demo, not for real retrieval quality.
/// </summary>
/// <remarks>
/// Each word (a run of letters and digits, lower-cased) and each character trigram of a word (with start and end
/// markers, so that spelling variants and unspaced scripts such as Chinese still overlap) is hashed with 64-bit
/// FNV-1a (with MurmurHash3's finaliser), which gives the same value in every process and on every platform, unlike
/// <see cref="string.GetHashCode()"/>.
/// The hash picks a dimension and a sign (signed hashing: collisions cancel out on average instead of piling up),
/// words weigh 1 and trigrams 0.5, and the vector is L2-normalised, so the dot product is the cosine similarity.
/// A text with no letters or digits (empty, white space, punctuation, emoji) has the zero vector: it is similar to
/// nothing, its dot product with every vector being 0.
/// </remarks>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const float WordWeight = 1f;
    private const float TrigramWeight = 0.5f;
    private const char WordStart = '\u0002';
    private const char WordEnd = '\u0003';
    private const ulong FnvOffsetBasis = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly int _dimensions;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public HashingEmbeddingGenerator(HashingEmbeddingGeneratorOptions? options = null)
    {
        _dimensions = (options ?? new HashingEmbeddingGeneratorOptions()).Dimensions;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_dimensions, nameof(HashingEmbeddingGeneratorOptions.Dimensions));
        _metadata = new EmbeddingGeneratorMetadata("hashing", providerUri: null, ModelId(_dimensions), _dimensions);
    }

    /// <summary>The model id a vector of <paramref name="dimensions"/> dimensions carries, e.g. <c>hash-384</c>.</summary>
    public static string ModelId(int dimensions) => "hash-" + dimensions.ToString(CultureInfo.InvariantCulture);

    /// <summary>Embeds each value in order; <see cref="EmbeddingGenerationOptions.Dimensions"/>, when set, overrides the configured size.</summary>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dimensions = options?.Dimensions ?? _dimensions;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions, nameof(options.Dimensions));

        var modelId = ModelId(dimensions);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            embeddings.Add(new Embedding<float>(Embed(value, dimensions)) { ModelId = modelId });
        }

        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // Holds nothing to release.
    }

    private static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var word = new List<char>();
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                word.Add(char.ToLowerInvariant(text[i]));
            }
            else if (word.Count > 0)
            {
                AddWord(vector, word);
                word.Clear();
            }
        }

        UnitVector.Normalize(vector);
        return vector;
    }

    private static void AddWord(float[] vector, List<char> word)
    {
        var hash = FnvOffsetBasis;
        foreach (var c in word)
        {
            hash = Mix(hash, c);
        }

        Add(vector, Mix(hash, 'w'), WordWeight);

        // Trigrams of the word between its markers: "cat" gives "^ca", "cat", "at$".
        var previous2 = WordStart;
        var previous1 = word[0];
        for (var i = 1; i <= word.Count; i++)
        {
            var current = i < word.Count ? word[i] : WordEnd;
            Add(vector, Mix(Mix(Mix(Mix(FnvOffsetBasis, 't'), previous2), previous1), current), TrigramWeight);
            (previous2, previous1) = (previous1, current);
        }
    }

    private static void Add(float[] vector, ulong hash, float weight)
    {
        // FNV-1a's low bits are weak (bit 0 is the parity of the input), and they pick the dimension: MurmurHash3's
        // finaliser spreads every input bit over all of them first.
        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccd;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        var index = (int)(hash % (ulong)vector.Length);
        vector[index] += (hash >> 63) == 0 ? weight : -weight;
    }

    /// <summary>One FNV-1a step over both bytes of a UTF-16 code unit.</summary>
    private static ulong Mix(ulong hash, char c)
    {
        hash = (hash ^ (byte)c) * FnvPrime;
        return (hash ^ (byte)(c >> 8)) * FnvPrime;
    }
}
