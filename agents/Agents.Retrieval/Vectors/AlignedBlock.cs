using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Elements on the pinned object heap, the first on a 64-byte boundary, so the kernels read whole cache
/// lines with aligned loads through a pointer that never moves. Pinned managed memory instead of native:
/// the GC frees it, and a search or span that still refers to a block keeps it alive after its owner has
/// grown into a new block or been disposed.
/// </summary>
internal sealed unsafe class AlignedBlock<T> where T : unmanaged
{
    public const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBlock(long length)
    {
        var slack = Alignment / sizeof(T);
        if (length > Array.MaxLength - slack)
        {
            throw new OutOfMemoryException($"A block of {length} {typeof(T).Name} values is larger than one array can hold.");
        }

        _array = GC.AllocateUninitializedArray<T>((int)length + slack, pinned: true);
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Alignment - address % Alignment) % Alignment) / sizeof(T);
        Pointer = (T*)address + _offset;
        Length = length;
        HugePages.Advise(Pointer, length * sizeof(T));
    }

    public long Length { get; }

    /// <summary>The first element; valid while this block is reachable (callers end with <see cref="GC.KeepAlive"/>).</summary>
    public T* Pointer { get; }

    /// <summary>A span over part of the block; it holds a managed reference, so the block lives as long as the span.</summary>
    public Span<T> Slice(long start, int length)
    {
        if ((ulong)start + (ulong)length > (ulong)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return MemoryMarshal.CreateSpan(ref _array[_offset + start], length);
    }

    /// <summary>A larger block holding a copy of this one's first <paramref name="copied"/> elements.</summary>
    public AlignedBlock<T> Grow(long length, long copied)
    {
        var grown = new AlignedBlock<T>(length);
        Buffer.MemoryCopy(Pointer, grown.Pointer, length * sizeof(T), copied * sizeof(T));
        GC.KeepAlive(this);
        return grown;
    }
}
