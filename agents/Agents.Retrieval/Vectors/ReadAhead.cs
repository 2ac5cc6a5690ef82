using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Software prefetch a few pages ahead of a scan. Measured on the 2-core AMD EPYC of issue 5, a plain read pass over
/// the 146 MiB float32 matrix took 4.8–5.5 ms, and 3.7 ms with one prefetch every 4 KiB; the kernels gained as much
/// with one a row. The prefetch starts the next pages' address translation and the hardware prefetchers' streams
/// before the loads reach them. Distances from 8 to 64 KiB measured alike.
/// </summary>
internal static unsafe class ReadAhead
{
    public const int Distance = 16 * 1024;

    /// <summary>Asks for the cache line <see cref="Distance"/> bytes past <paramref name="address"/>; a prefetch never faults, so it may point past the end of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0((byte*)address + Distance);
        }
    }
}
