using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Agents.Retrieval.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The memory-bandwidth bound of a scan: one read-only pass over a matrix's whole block, summed in 512-bit registers
/// with four independent accumulators (where the processor lacks AVX-512, by <see cref="TensorPrimitives"/>). With
/// <c>prefetch</c>, it also prefetches <see cref="ReadAhead.Distance"/> ahead once a 4 KiB page, as the kernels
/// do: on the machine measured that pass takes about three quarters of the plain one's time, so it is the bound to compare with.
/// </summary>
internal static unsafe class MemoryBandwidthBound
{
    private const int FloatsPerPage = 4096 / sizeof(float);

    /// <summary>Reads the block once, split into <paramref name="threads"/> contiguous parts read at the same time.</summary>
    public static float ReadAll(VectorMatrix matrix, int threads, bool prefetch)
    {
        var block = matrix.Block;
        var length = (long)matrix.Count * matrix.Stride;
        var part = ((length / threads) + FloatsPerPage - 1) / FloatsPerPage * FloatsPerPage;
        var sums = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var start = Math.Min(length, thread * part);
            sums[thread] = Sum(block.Pointer + start, Math.Min(part, length - start), prefetch);
        });
        GC.KeepAlive(block);
        return sums.Sum();
    }

    /// <summary>Sums <paramref name="length"/> floats, a multiple of 16, from a 64-byte boundary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* values, long length, bool prefetch)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            var total = 0f;
            for (long start = 0; start < length; start += int.MaxValue)
            {
                total += TensorPrimitives.Sum(new ReadOnlySpan<float>(values + start, (int)Math.Min(int.MaxValue, length - start)));
            }

            return total;
        }

        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        long i = 0;
        for (; i + 64 <= length; i += 64)
        {
            if (prefetch && i % FloatsPerPage == 0 && Sse.IsSupported)
            {
                Sse.Prefetch0((byte*)(values + i) + ReadAhead.Distance);
            }

            s0 += Vector512.LoadAligned(values + i);
            s1 += Vector512.LoadAligned(values + i + 16);
            s2 += Vector512.LoadAligned(values + i + 32);
            s3 += Vector512.LoadAligned(values + i + 48);
        }

        for (; i < length; i += 16)
        {
            s0 += Vector512.LoadAligned(values + i);
        }

        return Vector512.Sum((s0 + s1) + (s2 + s3));
    }
}
