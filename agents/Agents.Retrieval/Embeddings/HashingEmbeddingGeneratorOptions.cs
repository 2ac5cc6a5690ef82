namespace Agents.Retrieval.Embeddings;

/// <summary>Settings of <see cref="HashingEmbeddingGenerator"/>.</summary>
public sealed class HashingEmbeddingGeneratorOptions
{
    /// <summary>How many dimensions each vector has (default 384, the size of small sentence-embedding models).</summary>
    public int Dimensions { get; set; } = 384;
}
