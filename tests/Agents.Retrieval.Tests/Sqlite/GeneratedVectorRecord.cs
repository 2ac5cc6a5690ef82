using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>A record whose vector property holds text: the store embeds it with the configured generator on upsert.</summary>
public sealed class GeneratedVectorRecord
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(16)]
    public string? Embedding { get; set; }
}
