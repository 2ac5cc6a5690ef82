using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>A record with two vector properties of different sizes and distance functions.</summary>
public sealed class TwoVectorRecord
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Title { get; set; } = string.Empty;

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> TitleVector { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public float[]? BodyVector { get; set; }
}
