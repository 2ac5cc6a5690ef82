using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Agents.Retrieval.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

public class VectorMatrixTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(17, 3)]
    [InlineData(384, 100)]
    [InlineData(385, 1)]
    public void RowsReadBackAsAddedAcrossGrowth(int dimensions, int initialCapacity)
    {
        using var matrix = new VectorMatrix(dimensions, initialCapacity);
        var random = new Random(dimensions);
        var added = new List<float[]>();
        for (var i = 0; i < 150; i++)
        {
            var vector = Enumerable.Range(0, dimensions).Select(_ => random.NextSingle()).ToArray();
            Assert.Equal(i, matrix.Add(vector));
            added.Add(vector);
        }

        Assert.Equal(150, matrix.Count);
        Assert.Equal(dimensions, matrix.Dimensions);
        for (var row = 0; row < added.Count; row++)
        {
            Assert.Equal(added[row], matrix.GetRow(row).ToArray());
        }
    }

    [Fact]
    public void RowsStartOnCacheLinesWithZeroPadding()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 40, dimensions: 17, seed: 1);
        matrix.Set(5, Enumerable.Repeat(2f, 17).ToArray());

        Assert.Equal(32, matrix.Stride);
        for (var row = 0; row < matrix.Count; row++)
        {
            var address = Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(matrix.GetRow(row)));
            Assert.Equal(0, address % 64);
            Assert.All(matrix.Block.Slice(((long)row * matrix.Stride) + 17, matrix.Stride - 17).ToArray(), padding => Assert.Equal(0f, padding));
        }

        Assert.Equal(Enumerable.Repeat(2f, 17), matrix.GetRow(5).ToArray());
    }

    [Fact]
    public void SetReplacesOneRow()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 3, dimensions: 4, seed: 2);
        var before = matrix.GetRow(0).ToArray();

        matrix.Set(1, [9, 8, 7, 6]);

        Assert.Equal([9f, 8, 7, 6], matrix.GetRow(1).ToArray());
        Assert.Equal(before, matrix.GetRow(0).ToArray());
    }

    [Fact]
    public void WrongDimensionsNameBoth()
    {
        using var matrix = new VectorMatrix(4);

        var error = Assert.Throws<ArgumentException>(() => matrix.Add(new float[3]));

        Assert.Contains("3 dimensions", error.Message);
        Assert.Contains("has 4", error.Message);
        Assert.Equal("vector", error.ParamName);
    }

    [Fact]
    public void RowsOutsideTheMatrixAreRefused()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 2, dimensions: 3, seed: 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.GetRow(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.GetRow(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Set(2, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorMatrix(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorMatrix(3, -1));
    }

    [Fact]
    public void ADisposedMatrixRefusesUse()
    {
        var matrix = VectorTestData.IntegerMatrix(rows: 2, dimensions: 3, seed: 4);

        matrix.Dispose();

        Assert.Throws<ObjectDisposedException>(() => matrix.GetRow(0));
        Assert.Throws<ObjectDisposedException>(() => matrix.Add(new float[3]));
        Assert.Throws<ObjectDisposedException>(() => ExactVectorSearch.Search(matrix, new float[3], 1));
    }
}
