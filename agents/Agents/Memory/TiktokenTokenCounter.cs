using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Agents.Memory;

/// <summary>
/// Counts tokens with OpenAI's tiktoken encodings (o200k_base, cl100k_base) through Microsoft.ML.Tokenizers.
/// </summary>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    /// <summary>The encoding of GPT-4o and newer OpenAI models.</summary>
    public const string O200kBase = "o200k_base";

    /// <summary>The encoding of GPT-4 / GPT-3.5 models, and the fallback for models whose tokenizer is unknown.</summary>
    public const string Cl100kBase = "cl100k_base";

    // Model-id prefixes (after any "provider/" part) of the families that use o200k_base.
    private static readonly string[] O200kFamilies = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-5", "o1", "o3", "o4"];

    // Building a tokenizer parses a vocabulary of 100k–200k entries, so each encoding is built once per process.
    private static readonly ConcurrentDictionary<string, Lazy<TiktokenTokenCounter>> Counters = new(StringComparer.Ordinal);

    private readonly TiktokenTokenizer _tokenizer;

    private TiktokenTokenCounter(string encodingName, TiktokenTokenizer tokenizer)
    {
        EncodingName = encodingName;
        _tokenizer = tokenizer;
    }

    /// <summary>The tiktoken encoding this counter uses, e.g. <c>o200k_base</c>.</summary>
    public string EncodingName { get; }

    /// <summary>
    /// The counter for a model id: o200k_base for the gpt-4o, gpt-4.1, gpt-5, o1, o3 and o4 families,
    /// cl100k_base for everything else, including ids of non-OpenAI models (an approximation for those).
    /// </summary>
    public static TiktokenTokenCounter ForModel(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return ForEncoding(GetEncodingName(modelId));
    }

    /// <summary>The counter for a tiktoken encoding name (<see cref="O200kBase"/> or <see cref="Cl100kBase"/>).</summary>
    public static TiktokenTokenCounter ForEncoding(string encodingName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encodingName);
        if (encodingName is not (O200kBase or Cl100kBase))
        {
            throw new ArgumentException($"Unknown tiktoken encoding '{encodingName}'; use '{O200kBase}' or '{Cl100kBase}'.", nameof(encodingName));
        }

        return Counters.GetOrAdd(
            encodingName,
            static name => new Lazy<TiktokenTokenCounter>(() => new TiktokenTokenCounter(name, TiktokenTokenizer.CreateForEncoding(name)))).Value;
    }

    /// <summary>The tiktoken encoding name used for <paramref name="modelId"/>; see <see cref="ForModel"/>.</summary>
    public static string GetEncodingName(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);

        // Hosted ids often carry a provider or deployment prefix ("openai/gpt-4o"); the family is in the last part.
        var name = modelId[(modelId.LastIndexOf('/') + 1)..].Trim();
        foreach (var family in O200kFamilies)
        {
            if (name.Equals(family, StringComparison.OrdinalIgnoreCase)
                || (name.StartsWith(family, StringComparison.OrdinalIgnoreCase) && name[family.Length] is '-' or '.' or ':'))
            {
                return O200kBase;
            }
        }

        return Cl100kBase;
    }

    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.CountTokens(text);
    }
}
