using System.Numerics.Tensors;
using Agents.Retrieval.Vectors;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// Maps a VectorData distance function onto one fast kernel, "largest dot product plus a per-row bias": cosine
/// compares unit vectors, Euclidean ranks by 2·q·v − |v|², which orders rows exactly as −|q − v|² does.
/// </summary>
internal sealed class VectorScoring
{
    private VectorScoring(string function, bool normalizeRows, bool usesNorms, bool higherIsBetter)
    {
        Function = function;
        NormalizeRows = normalizeRows;
        UsesSquaredNorms = usesNorms;
        HigherIsBetter = higherIsBetter;
    }

    public string Function { get; }

    /// <summary>Rows and the query are stored as unit vectors.</summary>
    public bool NormalizeRows { get; }

    /// <summary>The kernel needs −|row|² as the per-row bias.</summary>
    public bool UsesSquaredNorms { get; }

    /// <summary>Similarities rank high-first; distances low-first (as the caller sees the score).</summary>
    public bool HigherIsBetter { get; }

    public static VectorScoring For(string? distanceFunction) => (distanceFunction ?? DistanceFunction.CosineSimilarity) switch
    {
        DistanceFunction.CosineSimilarity => new(DistanceFunction.CosineSimilarity, normalizeRows: true, usesNorms: false, higherIsBetter: true),
        DistanceFunction.CosineDistance => new(DistanceFunction.CosineDistance, normalizeRows: true, usesNorms: false, higherIsBetter: false),
        DistanceFunction.DotProductSimilarity => new(DistanceFunction.DotProductSimilarity, normalizeRows: false, usesNorms: false, higherIsBetter: true),
        DistanceFunction.EuclideanDistance => new(DistanceFunction.EuclideanDistance, normalizeRows: false, usesNorms: true, higherIsBetter: false),
        DistanceFunction.EuclideanSquaredDistance => new(DistanceFunction.EuclideanSquaredDistance, normalizeRows: false, usesNorms: true, higherIsBetter: false),
        var other => throw new NotSupportedException(
            $"Distance function '{other}' is not supported by the SQLite vector store; use CosineSimilarity, CosineDistance, DotProductSimilarity, EuclideanDistance or EuclideanSquaredDistance."),
    };

    /// <summary>Turns the query into what the kernel multiplies rows with.</summary>
    public float[] PrepareQuery(ReadOnlySpan<float> query, out float querySquaredNorm)
    {
        var prepared = query.ToArray();
        querySquaredNorm = TensorPrimitives.Dot(query, query);
        if (NormalizeRows)
        {
            UnitVector.Normalize(prepared);
        }
        else if (UsesSquaredNorms)
        {
            TensorPrimitives.Multiply(prepared, 2f, prepared);
        }

        return prepared;
    }

    /// <summary>Turns a kernel score back into the function's own score.</summary>
    public double ToScore(float kernelScore, float querySquaredNorm) => Function switch
    {
        DistanceFunction.CosineDistance => 1d - kernelScore,
        DistanceFunction.EuclideanDistance => Math.Sqrt(Math.Max(0d, querySquaredNorm - kernelScore)),
        DistanceFunction.EuclideanSquaredDistance => Math.Max(0d, querySquaredNorm - kernelScore),
        _ => kernelScore,
    };

    public bool PassesThreshold(double score, double? threshold) =>
        threshold is not { } limit || (HigherIsBetter ? score >= limit : score <= limit);
}
