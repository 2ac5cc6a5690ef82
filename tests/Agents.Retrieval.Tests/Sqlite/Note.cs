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

    /// <summary>The same shape as the attributes declare, as a definition, with the vector's size and distance function chosen.</summary>
    public static VectorStoreCollectionDefinition Definition(int dimensions, string distanceFunction) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Id), typeof(string)),
            new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty(nameof(Source), typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Tags), typeof(string[])),
            new VectorStoreDataProperty(nameof(Rank), typeof(int)) { IsIndexed = true },
            new VectorStoreDataProperty(nameof(Published), typeof(bool)),
            new VectorStoreDataProperty(nameof(Created), typeof(DateTimeOffset)),
            new VectorStoreVectorProperty(nameof(Vector), typeof(ReadOnlyMemory<float>?), dimensions) { DistanceFunction = distanceFunction },
        ],
    };
}
