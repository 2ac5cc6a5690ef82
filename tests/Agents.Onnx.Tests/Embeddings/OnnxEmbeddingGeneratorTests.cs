using Agents.Onnx.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Agents.Onnx.Tests.Embeddings;

public sealed class OnnxEmbeddingGeneratorTests
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [MemberData(nameof(TinyBert.SentenceIndexes), MemberType = typeof(TinyBert))]
    public void TokenIdsMatchTheReferenceTokenizer(int index)
    {
        var golden = TinyBert.Golden.Sentences[index];
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        Assert.Equal(golden.Ids, generator.Tokenize(golden.Text));
    }

    [Theory]
    [MemberData(nameof(TinyBert.SentenceIndexes), MemberType = typeof(TinyBert))]
    public async Task EachSentenceAloneMatchesTheReferenceEmbedding(int index)
    {
        var golden = TinyBert.Golden.Sentences[index];
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        var embedding = await generator.GenerateAsync([golden.Text]);

        AssertClose(golden.Mean, Assert.Single(embedding).Vector.Span);
    }

    [Fact]
    public async Task AllSentencesInOneCallMatchTheReferenceInInputOrder()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        var embeddings = await generator.GenerateAsync(TinyBert.Golden.Sentences.Select(s => s.Text));

        Assert.Equal(TinyBert.Golden.Sentences.Count, embeddings.Count);
        for (var i = 0; i < embeddings.Count; i++)
        {
            AssertClose(TinyBert.Golden.Sentences[i].Mean, embeddings[i].Vector.Span);
        }
    }

    [Fact]
    public async Task ClsPoolingMatchesTheReferenceFirstTokenVector()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { Pooling = OnnxEmbeddingPooling.Cls });

        var embeddings = await generator.GenerateAsync(TinyBert.Golden.Sentences.Select(s => s.Text));

        for (var i = 0; i < embeddings.Count; i++)
        {
            AssertClose(TinyBert.Golden.Sentences[i].Cls, embeddings[i].Vector.Span);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(32)]
    public async Task BatchesGiveTheSameVectorsAsOneTextAtATime(int batchSize)
    {
        var texts = TinyBert.Golden.Sentences.Select(s => s.Text).Concat(["Short.", "A somewhat longer sentence about the weather today."]).ToArray();
        using var single = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { BatchSize = 1 });
        using var batched = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { BatchSize = batchSize });

        var one = await single.GenerateAsync(texts);
        var many = await batched.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(one[i].Vector.ToArray(), many[i].Vector.Span);
        }
    }

    [Fact]
    public async Task VectorsAreUnitLengthUnlessNormalizationIsOff()
    {
        var texts = TinyBert.Golden.Sentences.Select(s => s.Text).ToArray();
        using var normalized = new OnnxEmbeddingGenerator(TinyBert.Path);
        using var raw = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { Normalize = false });

        var unit = await normalized.GenerateAsync(texts);
        var plain = await raw.GenerateAsync(texts);

        Assert.All(unit, e => Assert.Equal(1f, Norm(e.Vector.Span), 5));
        Assert.Contains(plain, e => Math.Abs(Norm(e.Vector.Span) - 1f) > 0.01f);
        for (var i = 0; i < texts.Length; i++)
        {
            var rescaled = plain[i].Vector.ToArray().Select(x => x / Norm(plain[i].Vector.Span)).ToArray();
            AssertClose(rescaled, unit[i].Vector.Span);
        }
    }

    [Fact]
    public async Task LongTextIsCutToTheModelsMaximumLength()
    {
        var longText = TinyBert.Golden.Sentences.Single(s => s.Ids.Length == TinyBert.Golden.MaxLength).Text;
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);
        using var shorter = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { MaxTokens = 8 });

        Assert.Equal(TinyBert.Golden.MaxLength, generator.MaxTokens);
        Assert.Equal(TinyBert.Golden.MaxLength, generator.Tokenize(longText + " " + longText).Count);
        var cut = shorter.Tokenize(longText);
        Assert.Equal(generator.Tokenize("the quick brown fox jumps over"), cut);

        // A cut text embeds exactly as the text of its first tokens.
        var embeddings = await shorter.GenerateAsync([longText, "the quick brown fox jumps over"]);
        AssertClose(embeddings[1].Vector.ToArray(), embeddings[0].Vector.Span);
    }

    [Fact]
    public void MaxTokensAboveTheModelsLimitIsCappedByIt()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { MaxTokens = 10_000 });

        Assert.Equal(TinyBert.Golden.MaxLength, generator.MaxTokens);
    }

    [Fact]
    public async Task NoTextsGiveNoEmbeddings()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        var embeddings = await generator.GenerateAsync([]);

        Assert.Empty(embeddings);
        Assert.Equal(0, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task EmbeddingsCarryTheModelIdAndTheTokenCount()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);
        var golden = TinyBert.Golden.Sentences.Take(3).ToArray();

        var embeddings = await generator.GenerateAsync(golden.Select(s => s.Text));

        Assert.All(embeddings, e => Assert.Equal("tiny-bert", e.ModelId));
        Assert.Equal(golden.Sum(s => s.Ids.Length), embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public void MetadataNamesTheFolderAndTheVectorSize()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);
        using var renamed = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { ModelId = "onnx:tiny-bert" });

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("onnx", metadata.ProviderName);
        Assert.Equal("tiny-bert", metadata.DefaultModelId);
        Assert.Equal(TinyBert.Golden.HiddenSize, metadata.DefaultModelDimensions);
        Assert.Equal(TinyBert.Golden.HiddenSize, generator.Dimensions);
        Assert.Equal("onnx:tiny-bert", renamed.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.NotNull(generator.GetService<InferenceSession>());
        Assert.Same(generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public async Task AskingForAnotherVectorSizeIsRefused()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 16 }));

        Assert.Contains("32-dimension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledTokenStopsBeforeAnyBatch()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["hello"], cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task CancellationDuringACallStopsItBeforeTheNextBatch()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { BatchSize = 1 });
        using var cancellation = new CancellationTokenSource();

        // The texts are read before the first batch; the last one read cancels the call.
        IEnumerable<string> TextsThatCancel()
        {
            yield return "hello";
            yield return "world";
            cancellation.Cancel();
            yield return "again";
        }

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(TextsThatCancel(), cancellationToken: cancellation.Token));
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [Fact]
    public async Task CallsFromSeveralThreadsGiveTheSameVectorsAsOneCall()
    {
        var texts = TinyBert.Golden.Sentences.Select(s => s.Text).ToArray();
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { BatchSize = 4 });
        var expected = await generator.GenerateAsync(texts);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var all = new List<Embedding<float>>();
            for (var round = 0; round < 5; round++)
            {
                all.AddRange(await generator.GenerateAsync(texts));
            }

            return all;
        })));

        Assert.All(results, result =>
        {
            for (var i = 0; i < result.Count; i++)
            {
                AssertClose(expected[i % texts.Length].Vector.ToArray(), result[i].Vector.Span);
            }
        });
    }

    [Fact]
    public async Task AutoDeviceFallsBackToTheCpuWithOneLoggedSentence()
    {
        var logger = new RecordingLogger();
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { Device = OnnxDevice.Auto }, logger);

        var embedding = await generator.GenerateAsync([TinyBert.Golden.Sentences[0].Text]);

        AssertClose(TinyBert.Golden.Sentences[0].Mean, embedding[0].Vector.Span);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.StartsWith("Embedding on the CPU: this build of ONNX Runtime has no CUDA execution provider", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaOnACpuOnlyBuildIsAClearError()
    {
        var error = Assert.Throws<NotSupportedException>(() => new OnnxEmbeddingGenerator(TinyBert.Path, new OnnxEmbeddingGeneratorOptions { Device = OnnxDevice.Cuda }));

        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuDeviceLogsNothing()
    {
        var logger = new RecordingLogger();
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path, logger: logger);

        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task ADisposedGeneratorRefusesWork()
    {
        var generator = new OnnxEmbeddingGenerator(TinyBert.Path);
        generator.Dispose();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["hello"]));
    }

    [Fact]
    public async Task ANullTextIsRefused()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.Path);

        await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(["hello", null!]));
    }

    internal static void AssertClose(IReadOnlyList<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > Tolerance)
            {
                Assert.Fail($"Component {i}: expected {expected[i]}, got {actual[i]} (tolerance {Tolerance}).");
            }
        }
    }

    private static float Norm(ReadOnlySpan<float> vector) => System.Numerics.Tensors.TensorPrimitives.Norm(vector);
}
