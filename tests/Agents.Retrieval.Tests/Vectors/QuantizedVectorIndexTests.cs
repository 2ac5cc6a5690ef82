using Agents.Retrieval.Vectors;
using Agents.Testing.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

public class QuantizedVectorIndexTests
{
    private const int Top = 10;

    // Kernels by name: the kernel enum is internal, and theory parameters of public tests must be public.
    public static TheoryData<string> Kernels() => new(Enum.GetValues<Int8DotKernel>().Where(Int8DotProducts.IsSupported).Select(kernel => kernel.ToString()));

    [Fact]
    public void RecallOnClusteredEmbeddingsIsAtLeast99Percent()
    {
        var vectors = new ClusteredVectors(dimensions: 384, clusters: 1_000, spread: 0.75f, seed: 1);
        using var matrix = Fill(new VectorMatrix(384), vectors, 20_000);
        using var index = QuantizedVectorIndex.Build(matrix);

        var recall = MeanRecall(matrix, index, Enumerable.Range(0, 50).Select(_ => vectors.Next()));

        Assert.True(recall >= 0.99, $"recall@{Top} {recall:F4}");
    }

    [Fact]
    public void RecallOnUniformNoiseIsAtLeast99Percent()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 10_000, dimensions: 256, seed: 2);
        using var index = QuantizedVectorIndex.Build(matrix);
        var random = new Random(3);

        var recall = MeanRecall(matrix, index, Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 256).Select(_ => random.NextSingle() - 0.5f).ToArray()));

        Assert.True(recall >= 0.99, $"recall@{Top} {recall:F4}");
    }

    [Fact]
    public void NearDuplicatesBelowTheQuantisationStepAreOrderedByReRanking()
    {
        // 40 copies of one vector, each nudged by less than a code step: int8 cannot tell them apart, re-ranking must.
        var vectors = new ClusteredVectors(dimensions: 128, clusters: 50, spread: 0.75f, seed: 4);
        using var matrix = Fill(new VectorMatrix(128), vectors, 3_000);
        var original = vectors.Next();
        var random = new Random(5);
        for (var copy = 0; copy < 40; copy++)
        {
            matrix.Add(original.Select(v => v + ((random.NextSingle() - 0.5f) * 1e-4f)).ToArray());
        }

        using var index = QuantizedVectorIndex.Build(matrix);

        Assert.Equal(ExactVectorSearch.Search(matrix, original, Top), index.Search(original, Top));
    }

    [Fact]
    public void AnOutlierDimensionDoesNotSinkRecall()
    {
        // One row's huge value stretches dimension 0's range until every other row's dimension 0 codes to zero.
        var vectors = new ClusteredVectors(dimensions: 64, clusters: 100, spread: 0.75f, seed: 6);
        using var matrix = Fill(new VectorMatrix(64), vectors, 5_000);
        var outlier = vectors.Next();
        outlier[0] = 50;
        matrix.Set(17, outlier);
        using var index = QuantizedVectorIndex.Build(matrix);

        var recall = MeanRecall(matrix, index, Enumerable.Range(0, 30).Select(_ => vectors.Next()));

        Assert.True(recall >= 0.99, $"recall@{Top} {recall:F4}");
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ScoresAfterReRankingAreTheExactScores(string kernel)
    {
        var vectors = new ClusteredVectors(dimensions: 385, clusters: 30, spread: 0.75f, seed: 7);
        using var matrix = Fill(new VectorMatrix(385), vectors, 2_001);
        using var index = QuantizedVectorIndex.Build(matrix);
        var options = new QuantizedVectorSearchOptions { Int8Kernel = Enum.Parse<Int8DotKernel>(kernel) };
        for (var i = 0; i < 5; i++)
        {
            var query = vectors.Next();

            var exact = ExactVectorSearch.Search(matrix, query, Top).ToDictionary(m => m.Row, m => m.Score);
            var quantized = index.Search(query, Top, options);

            Assert.Equal(Top, quantized.Length);
            Assert.All(quantized, match => Assert.Equal(exact[match.Row], match.Score));
        }
    }

    [Fact]
    public void EveryKernelPicksTheSameCandidates()
    {
        var vectors = new ClusteredVectors(dimensions: 96, clusters: 20, spread: 1.5f, seed: 8);
        using var matrix = Fill(new VectorMatrix(96), vectors, 3_000);
        using var index = QuantizedVectorIndex.Build(matrix);
        var query = vectors.Next();

        // With as many candidates as matches, the result is the int8 ranking itself.
        var results = Enum.GetValues<Int8DotKernel>().Where(Int8DotProducts.IsSupported)
            .Select(kernel => index.Search(query, 30, new QuantizedVectorSearchOptions { Int8Kernel = kernel, RerankCandidates = 30 }))
            .ToList();

        Assert.All(results, result => Assert.Equal(results[0], result));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)]
    public void FilterAndBiasApplyAsInExactSearch(double share)
    {
        // 0.05: rows scored one by one, each from the middle of its interleaved block; 0.5: whole filter words.
        var vectors = new ClusteredVectors(dimensions: 64, clusters: 40, spread: 0.75f, seed: 9);
        using var matrix = Fill(new VectorMatrix(64), vectors, 4_000);
        using var index = QuantizedVectorIndex.Build(matrix);
        var random = new Random(10);
        var filter = new RowFilter(matrix.Count);
        for (var row = 0; row < matrix.Count; row++)
        {
            if (random.NextDouble() < share)
            {
                filter.Add(row);
            }
        }

        var bias = Enumerable.Range(0, matrix.Count).Select(_ => random.NextSingle() * 0.1f).ToArray();
        var query = vectors.Next();

        var exact = ExactVectorSearch.Search(matrix, query, Top, new VectorSearchOptions { Filter = filter, Bias = bias });
        var quantized = index.Search(query, Top, new QuantizedVectorSearchOptions { Filter = filter, Bias = bias });

        Assert.Equal(exact, quantized);
    }

    [Fact]
    public void ParallelSearchEqualsSingleThreadSearch()
    {
        var vectors = new ClusteredVectors(dimensions: 384, clusters: 200, spread: 0.75f, seed: 11);
        using var matrix = Fill(new VectorMatrix(384), vectors, 24_000);
        using var index = QuantizedVectorIndex.Build(matrix);
        Assert.True(RowScan.Workers(index.Count, 384, 4) >= 2, "The index is too small to be split.");
        var query = vectors.Next();

        var single = index.Search(query, Top, new QuantizedVectorSearchOptions { MaxDegreeOfParallelism = 1 });
        var parallel = index.Search(query, Top, new QuantizedVectorSearchOptions { MaxDegreeOfParallelism = 4 });

        Assert.Equal(single, parallel);
    }

    [Fact]
    public void RowsAddedThroughTheIndexAreFoundAndRangesGrow()
    {
        using var matrix = new VectorMatrix(48);
        using var index = QuantizedVectorIndex.Build(matrix);
        var vectors = new ClusteredVectors(dimensions: 48, clusters: 30, spread: 0.75f, seed: 12);
        for (var i = 0; i < 2_000; i++)
        {
            index.Add(vectors.Next());
        }

        // Ten times any range so far: every row is quantised again with the new ranges.
        var loud = vectors.Next().Select(v => v * 10).ToArray();
        var loudRow = index.Add(loud);

        Assert.Equal(2_001, index.Count);
        Assert.Equal(2_001, matrix.Count);
        Assert.Equal(loudRow, index.Search(loud, 1)[0].Row);
        var recall = MeanRecall(matrix, index, Enumerable.Range(0, 20).Select(_ => vectors.Next()));
        Assert.True(recall >= 0.99, $"recall@{Top} {recall:F4}");
    }

    [Fact]
    public void SetThroughTheIndexReplacesTheRowInBoth()
    {
        var vectors = new ClusteredVectors(dimensions: 32, clusters: 10, spread: 0.75f, seed: 13);
        using var matrix = Fill(new VectorMatrix(32), vectors, 500);
        using var index = QuantizedVectorIndex.Build(matrix);
        var query = vectors.Next();

        index.Set(321, query);

        Assert.Equal(query, matrix.GetRow(321).ToArray());
        Assert.Equal(321, index.Search(query, 1)[0].Row);
    }

    [Fact]
    public void AMatrixChangedBehindTheIndexIsRefused()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 10, dimensions: 4, seed: 14);
        using var index = QuantizedVectorIndex.Build(matrix);

        matrix.Add([1, 2, 3, 4]);

        var error = Assert.Throws<InvalidOperationException>(() => index.Search([1, 0, 0, 0], 1));
        Assert.Contains("changed", error.Message);
        using var rebuilt = QuantizedVectorIndex.Build(matrix);
        Assert.Equal(10, rebuilt.Search([1, 2, 3, 4], 1)[0].Row);
    }

    [Fact]
    public void AZeroQueryRanksByBiasThenRow()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 50, dimensions: 8, seed: 15);
        using var index = QuantizedVectorIndex.Build(matrix);
        var bias = Enumerable.Range(0, 50).Select(row => row % 7 == 3 ? 1f : 0f).ToArray();

        var matches = index.Search(new float[8], 4, new QuantizedVectorSearchOptions { Bias = bias });

        Assert.Equal([3, 10, 17, 24], matches.Select(m => m.Row));
        Assert.Equal(ExactVectorSearch.Search(matrix, new float[8], 4, new VectorSearchOptions { Bias = bias }), matches);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 10, dimensions: 4, seed: 16);
        using var index = QuantizedVectorIndex.Build(matrix);

        var error = Assert.Throws<ArgumentException>(() => index.Search(new float[5], 1));
        Assert.Contains("5", error.Message);
        Assert.Contains("4", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[4], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[4], 1, new QuantizedVectorSearchOptions { RerankCandidates = 0 }));
        Assert.Throws<ArgumentException>(() => index.Search([1, float.NaN, 0, 0], 1));
        Assert.Throws<ArgumentException>(() => index.Add([1, float.PositiveInfinity, 0, 0]));
        Assert.Equal(10, matrix.Count);

        matrix.Set(0, [float.NaN, 0, 0, 0]);
        Assert.Throws<ArgumentException>(() => QuantizedVectorIndex.Build(matrix));
    }

    [Fact]
    public void ADisposedIndexRefusesUseAndLeavesTheMatrixOpen()
    {
        using var matrix = VectorTestData.GaussianMatrix(rows: 10, dimensions: 4, seed: 17);
        var index = QuantizedVectorIndex.Build(matrix);

        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Search(new float[4], 1));
        Assert.Single(ExactVectorSearch.Search(matrix, new float[4], 1));
    }

    private static VectorMatrix Fill(VectorMatrix matrix, ClusteredVectors vectors, int rows)
    {
        var row = new float[matrix.Dimensions];
        for (var i = 0; i < rows; i++)
        {
            vectors.Next(row);
            matrix.Add(row);
        }

        return matrix;
    }

    private static double MeanRecall(VectorMatrix matrix, QuantizedVectorIndex index, IEnumerable<float[]> queries) =>
        queries.Average(query => VectorTestData.Recall(ExactVectorSearch.Search(matrix, query, Top), index.Search(query, Top)));
}
