using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>The record most tests store: full-text indexed text, filterable metadata and a 4-dimensional vector.</summary>
public sealed class Note
{
    [VectorStoreKey]
    public string Id { get; set; } = string.Empty;

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = string.Empty;

    [VectorStoreData(IsIndexed = true)]
    public string? Source { get; set; }

    [VectorStoreData]
    public string[]? Tags { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Rank { get; set; }

    [VectorStoreData]
    public bool Published { get; set; }

    [VectorStoreData]
    public DateTimeOffset Created { get; set; }

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float>? Vector { get; set; }

    /// <summary>A note with the given id and text and defaults elsewhere; set what a test needs with an initializer.</summary>
    public static Note Of(string id, string text, params float[] vector) => new()
    {
        Id = id,
        Text = text,
        Vector = vector.Length == 0 ? (ReadOnlyMemory<float>?)null : vector,
        Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
