using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Sqlite;

/// <summary>Settings of a <see cref="SqliteVectorStore"/> and the collections it hands out.</summary>
public sealed class SqliteVectorStoreOptions
{
    /// <summary>How long a write waits for another writer's lock before failing. Default 10 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Makes embeddings for vector properties whose values are text, and for text search values.</summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; set; }

    /// <summary>Most distinct words of a keyword query that are searched; the rest are ignored. Default 64.</summary>
    public int MaxKeywordTerms { get; set; } = 64;

    /// <summary>
    /// How many candidates each side (vector, keyword) contributes to a hybrid search before fusion, as a multiple of
    /// the hits asked for. Default 4, at least 20 candidates.
    /// </summary>
    public int HybridCandidateFactor { get; set; } = 4;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BusyTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxKeywordTerms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(HybridCandidateFactor, 1);
    }
}
