using System.Numerics.Tensors;
using Agents.Retrieval.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The memory-bandwidth bound of a scan: one read-only pass over a matrix's whole block, summed by
/// <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/> (the widest registers, unrolled, independent accumulators).
/// Nothing that reads every row can beat it.
/// </summary>
internal static class MemoryBandwidthBound
{
    /// <summary>Spans hold at most int.MaxValue elements: larger parts are summed a piece at a time.</summary>
    private const int Piece = 1 << 30;

    /// <summary>Reads the block once, split into <paramref name="threads"/> contiguous parts read at the same time.</summary>
    public static float ReadAll(VectorMatrix matrix, int threads)
    {
        var length = (long)matrix.Count * matrix.Stride;
        var part = (length + threads - 1) / threads;
        var sums = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var end = Math.Min(length, (thread + 1) * part);
            for (var start = thread * part; start < end; start += Piece)
            {
                sums[thread] += TensorPrimitives.Sum<float>(matrix.Block.Slice(start, (int)Math.Min(Piece, end - start)));
            }
        });
        return sums.Sum();
    }
}
