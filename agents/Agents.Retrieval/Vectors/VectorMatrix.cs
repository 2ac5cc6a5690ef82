namespace Agents.Retrieval.Vectors;

/// <summary>
/// Float32 vectors of one dimension stored as contiguous rows in one 64-byte-aligned block, the layout the
/// search kernels stream through. Each row is padded with zeros to a multiple of 16 floats (one 512-bit
/// register), so every row starts on a cache line and no kernel needs a tail loop.
/// </summary>
/// <remarks>
/// Searches may run concurrently with each other, not with <see cref="Add"/> or <see cref="Set"/>.
/// </remarks>
public sealed class VectorMatrix : IDisposable
{
    internal const int RowAlignmentFloats = AlignedBlock<float>.Alignment / sizeof(float);

    private AlignedBlock<float> _block;
    private int _capacity;
    private bool _disposed;

    public VectorMatrix(int dimensions, int initialCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, Array.MaxLength - RowAlignmentFloats);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Dimensions = dimensions;
        Stride = (dimensions + RowAlignmentFloats - 1) / RowAlignmentFloats * RowAlignmentFloats;
        _block = new AlignedBlock<float>((long)Stride * initialCapacity);
        _capacity = initialCapacity;
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    /// <summary>Floats from one row's start to the next's: <see cref="Dimensions"/> rounded up to a multiple of 16.</summary>
    internal int Stride { get; }

    /// <summary>Changes with every <see cref="Add"/> and <see cref="Set"/>, so a derived index can tell it is stale.</summary>
    internal long Version { get; private set; }

    /// <summary>The rows' block; the kernels read it through its pointer.</summary>
    internal AlignedBlock<float> Block
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _block;
        }
    }

    /// <summary>Appends a row and returns its index.</summary>
    public int Add(ReadOnlySpan<float> vector)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckDimensions(vector);
        if (Count == _capacity)
        {
            Grow();
        }

        var row = Count;
        Write(row, vector);
        Count++;
        return row;
    }

    /// <summary>Appends a row and returns it for adjusting in place (normalizing) before any search reads it.</summary>
    internal Span<float> AddWritable(ReadOnlySpan<float> vector)
    {
        var row = Add(vector);
        return _block.Slice((long)row * Stride, Dimensions);
    }

    /// <summary>Replaces a row.</summary>
    public void Set(int row, ReadOnlySpan<float> vector)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRow(row);
        CheckDimensions(vector);
        Write(row, vector);
    }

    /// <summary>
    /// A row's values. The span keeps referring to this row's values as they were if the matrix later grows
    /// into a larger block; read it again after <see cref="Add"/> to see later <see cref="Set"/> calls.
    /// </summary>
    public ReadOnlySpan<float> GetRow(int row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRow(row);
        return _block.Slice((long)row * Stride, Dimensions);
    }

    public void Dispose()
    {
        _disposed = true;
        _block = new AlignedBlock<float>(0);
        _capacity = 0;
        Count = 0;
    }

    internal void CheckDimensions(ReadOnlySpan<float> vector, string parameterName = "vector")
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The {parameterName} has {vector.Length} dimensions but the matrix has {Dimensions}.", parameterName);
        }
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The matrix has {Count} rows.");
        }
    }

    private void Write(int row, ReadOnlySpan<float> vector)
    {
        var destination = _block.Slice((long)row * Stride, Stride);
        vector.CopyTo(destination);
        destination[Dimensions..].Clear();
        Version++;
    }

    private void Grow()
    {
        var maximum = (int)Math.Min(int.MaxValue, (Array.MaxLength - RowAlignmentFloats) / Stride);
        if (_capacity == maximum)
        {
            throw new InvalidOperationException($"The matrix holds its maximum of {maximum} rows of {Dimensions} dimensions.");
        }

        var capacity = (int)Math.Min(Math.Max(_capacity * 2L, 16), maximum);
        _block = _block.Grow((long)capacity * Stride, (long)Count * Stride);
        _capacity = capacity;
    }
}
