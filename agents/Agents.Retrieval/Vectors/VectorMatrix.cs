namespace Agents.Retrieval.Vectors;

/// <summary>Placeholder replaced by the vectors branch.</summary>
public sealed class VectorMatrix : IDisposable
{
    private float[] _data;

    public VectorMatrix(int dimensions, int initialCapacity = 0)
    {
        Dimensions = dimensions;
        _data = new float[dimensions * Math.Max(initialCapacity, 1)];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    public int Add(ReadOnlySpan<float> vector)
    {
        if ((Count + 1) * Dimensions > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, (Count + 1) * Dimensions));
        }

        vector.CopyTo(_data.AsSpan(Count * Dimensions, Dimensions));
        return Count++;
    }

    public ReadOnlySpan<float> GetRow(int row) => _data.AsSpan(row * Dimensions, Dimensions);

    public void Dispose()
    {
    }
}
