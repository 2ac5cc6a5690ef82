using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>A record with two full-text indexed properties, so keyword searches must say which one they search.</summary>
public sealed class ArticleRecord
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Title { get; set; } = string.Empty;

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Body { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public float[]? Vector { get; set; }
}
