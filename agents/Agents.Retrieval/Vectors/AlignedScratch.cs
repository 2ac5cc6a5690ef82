using System.Runtime.InteropServices;

namespace Agents.Retrieval.Vectors;

/// <summary>A search's own 64-byte-aligned copy of its query, in native memory freed when the search ends.</summary>
internal readonly unsafe ref struct AlignedScratch<T> : IDisposable
    where T : unmanaged
{
    /// <summary>Zeroed, so a query shorter than the stride comes with the zero padding the kernels expect.</summary>
    public AlignedScratch(int length)
    {
        Pointer = (T*)NativeMemory.AlignedAlloc((nuint)length * (nuint)sizeof(T), AlignedBlock<T>.Alignment);
        Length = length;
        Span.Clear();
    }

    public T* Pointer { get; }

    public int Length { get; }

    public Span<T> Span => new(Pointer, Length);

    public void Dispose() => NativeMemory.AlignedFree(Pointer);
}
