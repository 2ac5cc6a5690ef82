using System.Globalization;
using Agents.Models;
using Agents.Testing.OpenAI;
using Microsoft.Extensions.AI;

namespace Agents.Tests.Models;

public sealed class HostedEmbeddingGeneratorTests : IAsyncLifetime
{
    // Generous bounds for behaviour that must end by itself; they only catch hangs, not slowness.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAIServer.StartAsync();
        // Values that survive float32 exactly, and one that depends on the text, so order mix-ups show.
        _server.Embedder = text => [1.5f, -2.25f, text.Length, 0.125f];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Vectors_RoundTripExactly_InTheOrderOfTheInputs()
    {
        using var generator = Create(o => o.ApiKey = "sk-embed");

        var embeddings = await generator.GenerateAsync(["a", "bcd", "ef"]);

        Assert.Equal(
            [[1.5f, -2.25f, 1f, 0.125f], [1.5f, -2.25f, 3f, 0.125f], [1.5f, -2.25f, 2f, 0.125f]],
            embeddings.Select(e => e.Vector.ToArray()));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("text-embedding-test", request.Body.GetProperty("model").GetString());
        Assert.Equal(["a", "bcd", "ef"], request.EmbeddingInputs);
        Assert.Equal("Bearer sk-embed", request.Authorization);
        Assert.Equal(3, embeddings.Usage?.InputTokenCount);
        // The SDK asks for base64 (raw float32 bytes), which is why the vectors come back bit for bit.
        Assert.Equal("base64", request.Body.GetProperty("encoding_format").GetString());
    }

    [Fact]
    public async Task FakeServer_SendsFloatArrays_ToClientsThatDoNotAskForBase64()
    {
        // Other OpenAI-compatible clients take the API's default format; the fake must speak it too.
        using var http = new HttpClient();
        using var content = new StringContent("""{"model":"m","input":"hi there"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri(_server.BaseUrl, "embeddings"), content);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var item = json.RootElement.GetProperty("data")[0];
        Assert.Equal(("list", "embedding", 0), (json.RootElement.GetProperty("object").GetString(), item.GetProperty("object").GetString(), item.GetProperty("index").GetInt32()));
        Assert.Equal([1.5f, -2.25f, 8f, 0.125f], item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(2, json.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ManyInputs_AreSentInBatches_AndComeBackInOrder()
    {
        _server.Embedder = text => [int.Parse(text[5..], CultureInfo.InvariantCulture)];
        using var generator = Create(embedding: e => e.MaxBatchSize = 128);
        var inputs = Enumerable.Range(0, 300).Select(i => $"text {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal(Enumerable.Range(0, 300).Select(i => (float)i), embeddings.Select(e => e.Vector.Span[0]));
        Assert.Equal([128, 128, 44], _server.Requests.Select(r => r.EmbeddingInputs.Count));
        Assert.Equal(600, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task NoInputs_SendNoRequest()
    {
        using var generator = Create();

        var embeddings = await generator.GenerateAsync([]);

        Assert.Empty(embeddings);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task RateLimited_ThenSuccess_IsRetried()
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "0"));
        using var generator = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var embeddings = await generator.GenerateAsync(["retry me"]).WaitAsync(Bound);

        Assert.Equal([1.5f, -2.25f, 8f, 0.125f], embeddings[0].Vector.ToArray());
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task ServerErrors_UntilAttemptsRunOut_AreAModelServerException()
    {
        _server.Responder = _ => FakeReply.Status(500);
        using var generator = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<ModelServerException>(() => generator.GenerateAsync(["x"]).WaitAsync(Bound));

        Assert.Equal(4, _server.RequestCount);
        Assert.Equal(500, error.StatusCode);
        Assert.StartsWith($"The model server at {_server.BaseUrl} kept failing (HTTP 500) after 4 attempts", error.Message);
    }

    [Fact]
    public async Task Refusal_QuotesTheServersReason_AndIsNotRetried()
    {
        _server.Enqueue(FakeReply.Status(400, message: "This model does not support embeddings."));
        using var generator = Create();

        var error = await Assert.ThrowsAsync<ModelServerException>(() => generator.GenerateAsync(["x"]).WaitAsync(Bound));

        Assert.Equal($"The model server at {_server.BaseUrl} refused the request (HTTP 400): This model does not support embeddings.", error.Message);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Dimensions_FromTheOptions_OrFromTheCall_AreSentAndHonoured()
    {
        using var generator = Create(embedding: e => e.Dimensions = 3);

        var byDefault = await generator.GenerateAsync(["abc"]);
        var byCall = await generator.GenerateAsync(["abc"], new EmbeddingGenerationOptions { Dimensions = 2 });

        Assert.Equal([3, 2], _server.Requests.Select(r => r.Body.GetProperty("dimensions").GetInt32()));
        Assert.Equal([1.5f, -2.25f, 3f], byDefault[0].Vector.ToArray());
        Assert.Equal([1.5f, -2.25f], byCall[0].Vector.ToArray());
        Assert.Equal(3, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public void Metadata_NamesTheModelAndEndpoint()
    {
        using var generator = Create();

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("text-embedding-test", metadata.DefaultModelId);
        Assert.Equal(_server.BaseUrl, metadata.ProviderUri);
    }

    [Fact]
    public async Task CallerCancellation_IsACancellationAndNoRetry()
    {
        _server.Responder = _ => FakeReply.Hang();
        using var generator = Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["x"], cancellationToken: cts.Token).WaitAsync(Bound));

        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public void InvalidOptions_AreRejectedUpFront()
    {
        var options = new HostedModelOptions { ModelId = "m" };
        Assert.Throws<ArgumentOutOfRangeException>(() => HostedEmbeddingGenerator.Create(options, new HostedEmbeddingOptions { MaxBatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostedEmbeddingGenerator.Create(options, new HostedEmbeddingOptions { Dimensions = -1 }));
        Assert.Throws<ArgumentException>(() => HostedEmbeddingGenerator.Create(new HostedModelOptions { ModelId = "" }));
    }

    private IEmbeddingGenerator<string, Embedding<float>> Create(Action<HostedModelOptions>? configure = null, Action<HostedEmbeddingOptions>? embedding = null)
    {
        var options = new HostedModelOptions { ModelId = "text-embedding-test", Endpoint = _server.BaseUrl };
        configure?.Invoke(options);
        var embeddingOptions = new HostedEmbeddingOptions();
        embedding?.Invoke(embeddingOptions);
        return HostedEmbeddingGenerator.Create(options, embeddingOptions);
    }
}
