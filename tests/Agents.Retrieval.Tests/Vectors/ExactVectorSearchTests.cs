using Agents.Retrieval.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

public class ExactVectorSearchTests
{
    // Kernels by name: the kernel enum is internal, and theory parameters of public tests must be public.
    public static TheoryData<int, string> DimensionsAndKernels()
    {
        var data = new TheoryData<int, string>();
        foreach (var dimensions in new[] { 1, 3, 17, 384, 385 })
        {
            foreach (var kernel in Enum.GetValues<FloatDotKernel>().Where(FloatDotProducts.IsSupported))
            {
                data.Add(dimensions, kernel.ToString());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DimensionsAndKernels))]
    public void EqualsTheNaiveSearchBitForBit(int dimensions, string kernel)
    {
        // 1,001 rows: a last block of one row and a last chunk of 233.
        using var matrix = VectorTestData.IntegerMatrix(rows: 1_001, dimensions, seed: dimensions);
        var random = new Random(7);
        var options = new VectorSearchOptions { FloatKernel = Enum.Parse<FloatDotKernel>(kernel), MaxDegreeOfParallelism = 1 };
        for (var i = 0; i < 5; i++)
        {
            var query = VectorTestData.IntegerVector(dimensions, random);

            Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 25), ExactVectorSearch.Search(matrix, query, 25, options));
        }
    }

    [Theory]
    [MemberData(nameof(DimensionsAndKernels))]
    public void MatchesTheNaiveSearchOnRealValues(int dimensions, string kernel)
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 700, dimensions, seed: dimensions);
        var query = Enumerable.Range(0, dimensions).Select(d => MathF.Sin(d + 1)).ToArray();

        var expected = VectorTestData.NaiveSearch(matrix, query, 10);
        var actual = ExactVectorSearch.Search(matrix, query, 10, new VectorSearchOptions { FloatKernel = Enum.Parse<FloatDotKernel>(kernel) });

        // Summation order differs from the naive loop, so scores agree to rounding; rank by rank.
        Assert.Equal(expected.Length, actual.Length);
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal(want.Score, got.Score, tolerance: 1e-4f * dimensions);
        }

        Assert.Equal(expected[0].Row, actual[0].Row);
    }

    [Fact]
    public void TiesRankTheLowerRowFirst()
    {
        using var matrix = new VectorMatrix(2);
        matrix.Add([1, 0]);
        matrix.Add([0, 1]);
        for (var i = 0; i < 10; i++)
        {
            matrix.Add([1, 1]);
        }

        var matches = ExactVectorSearch.Search(matrix, [1, 1], 4);

        Assert.Equal([new(2, 2), new(3, 2), new(4, 2), new(5, 2)], matches);
    }

    [Fact]
    public void AskingForMoreThanTheMatrixHoldsReturnsEveryRow()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 6, dimensions: 3, seed: 5);
        float[] query = [1, 2, 3];

        var matches = ExactVectorSearch.Search(matrix, query, 100);

        Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 100), matches);
        Assert.Equal(6, matches.Length);
    }

    [Fact]
    public void AnEmptyMatrixFindsNothing()
    {
        using var matrix = new VectorMatrix(3);

        Assert.Empty(ExactVectorSearch.Search(matrix, [1, 2, 3], 5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.6)]
    [InlineData(1.0)]
    public void OnlyFilteredRowsMatch(double share)
    {
        // 0.1 leaves about 6 rows a filter word (each scored alone), 0.6 about 38 (the whole word scored).
        using var matrix = VectorTestData.IntegerMatrix(rows: 1_000, dimensions: 17, seed: 6);
        var random = new Random(8);
        var filter = new RowFilter(matrix.Count);
        for (var row = 0; row < matrix.Count; row++)
        {
            if (random.NextDouble() < share)
            {
                filter.Add(row);
            }
        }

        var query = VectorTestData.IntegerVector(17, random);

        var matches = ExactVectorSearch.Search(matrix, query, 50, new VectorSearchOptions { Filter = filter });

        Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 50, filter), matches);
        Assert.Equal(Math.Min(50, filter.AllowedCount), matches.Length);
    }

    [Fact]
    public void RowsPastTheFilterNeverMatchAndBitsPastTheMatrixAreIgnored()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 100, dimensions: 5, seed: 9);
        var shortFilter = new RowFilter(70);
        var wideFilter = new RowFilter([ulong.MaxValue, ulong.MaxValue, ulong.MaxValue]);
        for (var row = 0; row < 70; row++)
        {
            shortFilter.Add(row);
        }

        float[] query = [1, -1, 2, 0, 3];

        var shortMatches = ExactVectorSearch.Search(matrix, query, 100, new VectorSearchOptions { Filter = shortFilter });
        var wideMatches = ExactVectorSearch.Search(matrix, query, 1_000, new VectorSearchOptions { Filter = wideFilter });

        Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 100, shortFilter), shortMatches);
        Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 1_000), wideMatches);
    }

    [Fact]
    public void BiasIsAddedToEveryRowsScore()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 300, dimensions: 9, seed: 10);
        var random = new Random(11);
        var bias = Enumerable.Range(0, matrix.Count).Select(_ => (float)random.Next(-20, 21)).ToArray();
        var query = VectorTestData.IntegerVector(9, random);

        var matches = ExactVectorSearch.Search(matrix, query, 20, new VectorSearchOptions { Bias = bias });

        Assert.Equal(VectorTestData.NaiveSearch(matrix, query, 20, bias: bias), matches);
    }

    [Fact]
    public void EuclideanNearestNeighboursThroughTheBias()
    {
        // |q - r|² = |q|² - 2 q·r + |r|²: the nearest rows score highest on (2q)·r - |r|².
        using var matrix = VectorTestData.GaussianMatrix(rows: 500, dimensions: 8, seed: 12);
        var bias = Enumerable.Range(0, matrix.Count).Select(row => -matrix.GetRow(row).ToArray().Sum(v => v * v)).ToArray();
        var query = matrix.GetRow(123).ToArray().Select(v => v + 0.01f).ToArray();

        var nearest = ExactVectorSearch.Search(matrix, query.Select(v => 2 * v).ToArray(), 5, new VectorSearchOptions { Bias = bias });

        var expected = Enumerable.Range(0, matrix.Count)
            .OrderBy(row => matrix.GetRow(row).ToArray().Zip(query, (r, q) => (r - q) * (r - q)).Sum())
            .Take(5);
        Assert.Equal(expected, nearest.Select(m => m.Row));
        Assert.Equal(123, nearest[0].Row);
    }

    [Fact]
    public void ParallelSearchEqualsSingleThreadSearch()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 9_000, dimensions: 385, seed: 13);
        var random = new Random(14);
        var filter = new RowFilter(matrix.Count);
        for (var row = 0; row < matrix.Count; row += 1 + random.Next(3))
        {
            filter.Add(row);
        }

        var bias = Enumerable.Range(0, matrix.Count).Select(_ => random.NextSingle()).ToArray();
        Assert.True(RowScan.Workers(matrix.Count, matrix.Stride * sizeof(float), 4) >= 3, "The matrix is too small to be split.");
        for (var i = 0; i < 3; i++)
        {
            var query = Enumerable.Range(0, 385).Select(_ => random.NextSingle() - 0.5f).ToArray();
            foreach (var options in new[] { new VectorSearchOptions(), new VectorSearchOptions { Filter = filter, Bias = bias } })
            {
                options.MaxDegreeOfParallelism = 1;
                var single = ExactVectorSearch.Search(matrix, query, 40, options);
                options.MaxDegreeOfParallelism = 4;
                var parallel = ExactVectorSearch.Search(matrix, query, 40, options);

                Assert.Equal(single, parallel);
            }
        }
    }

    [Fact]
    public void NaNScoresRankBelowEveryNumber()
    {
        using var matrix = new VectorMatrix(1);
        matrix.Add([float.NaN]);
        matrix.Add([-5]);
        matrix.Add([float.NaN]);
        matrix.Add([3]);

        var matches = ExactVectorSearch.Search(matrix, [1], 3);

        Assert.Equal([3, 1, 0], matches.Select(m => m.Row));
        Assert.True(float.IsNaN(matches[2].Score));
    }

    [Fact]
    public void AQueryOfTheWrongDimensionNamesBoth()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 3, dimensions: 384, seed: 15);

        var error = Assert.Throws<ArgumentException>(() => ExactVectorSearch.Search(matrix, new float[383], 5));

        Assert.Equal("query", error.ParamName);
        Assert.Contains("383", error.Message);
        Assert.Contains("384", error.Message);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var matrix = VectorTestData.IntegerMatrix(rows: 3, dimensions: 2, seed: 16);

        Assert.Throws<ArgumentOutOfRangeException>(() => ExactVectorSearch.Search(matrix, [1, 1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactVectorSearch.Search(matrix, [1, 1], -1));
        Assert.Throws<ArgumentNullException>(() => ExactVectorSearch.Search(null!, [1, 1], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactVectorSearch.Search(matrix, [1, 1], 1, new VectorSearchOptions { MaxDegreeOfParallelism = 0 }));
        var error = Assert.Throws<ArgumentException>(() => ExactVectorSearch.Search(matrix, [1, 1], 1, new VectorSearchOptions { Bias = new float[2] }));
        Assert.Contains("2 values", error.Message);
        Assert.Contains("3 rows", error.Message);
    }
}
