using Agents.Retrieval.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

/// <summary>Deterministic matrices for the search tests and the naive scalar search they are checked against.</summary>
internal static class VectorTestData
{
    /// <summary>
    /// Rows of small integers (-3…3): every dot product is exact in float32 whatever the summation order, so any
    /// kernel must equal the scalar reference bit for bit, and equal scores (ties) are common.
    /// </summary>
    public static VectorMatrix IntegerMatrix(int rows, int dimensions, int seed) =>
        Matrix(rows, dimensions, seed, random => random.Next(-3, 4));

    public static VectorMatrix GaussianMatrix(int rows, int dimensions, int seed) =>
        Matrix(rows, dimensions, seed, random => (float)(random.NextDouble() * 2 - 1));

    public static float[] IntegerVector(int dimensions, Random random) =>
        Enumerable.Range(0, dimensions).Select(_ => (float)random.Next(-3, 4)).ToArray();

    /// <summary>Every allowed row scored one multiply-add at a time, sorted best first (equal scores: lower row first).</summary>
    public static VectorMatch[] NaiveSearch(VectorMatrix matrix, float[] query, int top, RowFilter? filter = null, float[]? bias = null)
    {
        var matches = new List<VectorMatch>();
        for (var row = 0; row < matrix.Count; row++)
        {
            if (filter is not null && !filter.Contains(row))
            {
                continue;
            }

            var values = matrix.GetRow(row);
            var score = 0f;
            for (var d = 0; d < values.Length; d++)
            {
                score += query[d] * values[d];
            }

            matches.Add(new VectorMatch(row, bias is null ? score : score + bias[row]));
        }

        return matches.OrderByDescending(m => m.Score).ThenBy(m => m.Row).Take(top).ToArray();
    }

    /// <summary>The share of the exact top rows that the approximate result also returned.</summary>
    public static double Recall(VectorMatch[] exact, VectorMatch[] approximate) =>
        exact.Length == 0 ? 1 : (double)approximate.Select(m => m.Row).Intersect(exact.Select(m => m.Row)).Count() / exact.Length;

    private static VectorMatrix Matrix(int rows, int dimensions, int seed, Func<Random, float> value)
    {
        var random = new Random(seed);
        var matrix = new VectorMatrix(dimensions);
        var row = new float[dimensions];
        for (var i = 0; i < rows; i++)
        {
            for (var d = 0; d < dimensions; d++)
            {
                row[d] = value(random);
            }

            matrix.Add(row);
        }

        return matrix;
    }
}
