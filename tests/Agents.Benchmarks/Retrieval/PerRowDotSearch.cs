using System.Numerics.Tensors;
using Agents.Retrieval.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The baseline the kernels must beat: <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// called once per row, the rows split into contiguous halves per thread, each thread with its own top-k heap.
/// </summary>
internal static class PerRowDotSearch
{
    public static VectorMatch[] Search(VectorMatrix matrix, float[] query, int top, int threads)
    {
        var perThread = new TopMatches[threads];
        var part = (matrix.Count + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var matches = perThread[thread] = new TopMatches(top);
            var end = Math.Min(matrix.Count, (thread + 1) * part);
            for (var row = thread * part; row < end; row++)
            {
                var score = TensorPrimitives.Dot(query, matrix.GetRow(row));
                if (!(score < matches.Threshold))
                {
                    matches.Offer(score, row);
                }
            }
        });

        var merged = new TopMatches(top);
        foreach (var matches in perThread)
        {
            merged.OfferAll(matches);
        }

        return merged.ToArray();
    }
}
