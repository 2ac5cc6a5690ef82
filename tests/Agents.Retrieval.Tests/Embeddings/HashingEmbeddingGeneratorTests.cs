using System.Numerics.Tensors;
using Agents.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Tests.Embeddings;

public sealed class HashingEmbeddingGeneratorTests
{
    // "hello", "world" (weight 1) and their ten trigrams (weight 0.5), each in its own dimension, normalised.
    private static readonly (int, float)[] GoldenHelloWorld =
    [
        (35, -0.4714f), (60, -0.4714f), (183, -0.2357f), (194, 0.2357f), (246, 0.2357f), (269, -0.2357f),
        (281, 0.2357f), (293, 0.2357f), (304, 0.2357f), (329, 0.2357f), (341, -0.2357f), (358, 0.2357f),
    ];

    private readonly HashingEmbeddingGenerator _generator = new();

    [Fact]
    public async Task SameText_GivesTheSameVector_InEveryInstance_AndIgnoresCase()
    {
        var first = await EmbedAsync(_generator, "The harbour cranes are inspected nightly.");
        var again = await EmbedAsync(new HashingEmbeddingGenerator(), "the HARBOUR cranes, are inspected nightly");

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Vectors_AreStableAcrossProcessesAndVersions()
    {
        // Stores keep vectors made by earlier runs; a query embedded today must land in the same space.
        var vector = await EmbedAsync(_generator, "Hello, world");

        var nonZero = vector.Select((v, i) => (i, v)).Where(p => p.v != 0).ToArray();
        Assert.Equal(GoldenHelloWorld, nonZero.Select(p => (p.i, MathF.Round(p.v, 4))));
    }

    [Fact]
    public async Task Vectors_AreUnitLength()
    {
        var vector = await EmbedAsync(_generator, "Some words to embed, and some more words.");

        Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
    }

    [Fact]
    public async Task SimilarTexts_AreCloserThanUnrelatedOnes()
    {
        var query = await EmbedAsync(_generator, "How are the harbour cranes maintained?");
        var related = await EmbedAsync(_generator, "Maintenance of the cranes in the harbour happens every night.");
        var misspelt = await EmbedAsync(_generator, "crane maintainance");
        var unrelated = await EmbedAsync(_generator, "Quarterly revenue grew by twelve percent in Europe.");

        var toRelated = TensorPrimitives.Dot(query, related);
        var toMisspelt = TensorPrimitives.Dot(query, misspelt);
        var toUnrelated = TensorPrimitives.Dot(query, unrelated);
        Assert.True(toRelated > toUnrelated + 0.2f, $"related {toRelated}, unrelated {toUnrelated}");
        Assert.True(toMisspelt > toUnrelated + 0.1f, $"misspelt {toMisspelt}, unrelated {toUnrelated}");
    }

    [Fact]
    public async Task UnspacedScripts_StillOverlap()
    {
        var query = await EmbedAsync(_generator, "東京の天気");
        var related = await EmbedAsync(_generator, "今日の東京の天気は晴れです");
        var unrelated = await EmbedAsync(_generator, "大阪城の歴史について");

        Assert.True(TensorPrimitives.Dot(query, related) > TensorPrimitives.Dot(query, unrelated));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("?! … —")]
    [InlineData("😀👍")]
    public async Task TextWithoutLettersOrDigits_IsTheZeroVector(string text)
    {
        var vector = await EmbedAsync(_generator, text);

        Assert.Equal(384, vector.Length);
        Assert.All(vector, v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task Dimensions_ComeFromTheOptions_OrFromTheCall()
    {
        var small = new HashingEmbeddingGenerator(new HashingEmbeddingGeneratorOptions { Dimensions = 64 });

        var fromOptions = await small.GenerateAsync(["words"]);
        var fromCall = await small.GenerateAsync(["words"], new EmbeddingGenerationOptions { Dimensions = 1024 });

        Assert.Equal((64, "hash-64"), (fromOptions[0].Vector.Length, fromOptions[0].ModelId));
        Assert.Equal((1024, "hash-1024"), (fromCall[0].Vector.Length, fromCall[0].ModelId));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashingEmbeddingGenerator(new HashingEmbeddingGeneratorOptions { Dimensions = 0 }));
    }

    [Fact]
    public async Task Batch_KeepsTheOrderOfItsValues()
    {
        string[] values = ["alpha cranes", "beta cables", "", "gamma brakes", "alpha cranes"];

        var batch = await _generator.GenerateAsync(values);

        Assert.Equal(values.Length, batch.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(await EmbedAsync(_generator, values[i]), batch[i].Vector.ToArray());
        }
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(["text"], cancellationToken: cts.Token));
    }

    [Fact]
    public void Metadata_NamesTheModelAndDimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(("hashing", "hash-384", 384), (metadata.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
        Assert.Same(_generator, _generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(_generator.GetService<EmbeddingGeneratorMetadata>("some key"));
    }

    private static async Task<float[]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string text) =>
        (await generator.GenerateAsync([text]))[0].Vector.ToArray();
}
