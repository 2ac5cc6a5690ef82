using Microsoft.Extensions.AI;
using EmbeddingClient = OpenAI.Embeddings.EmbeddingClient;

namespace Agents.Models;

/// <summary>
/// An embedding model behind any OpenAI-compatible <c>/v1/embeddings</c> endpoint, as an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. Built on the OpenAI SDK through <c>AsIEmbeddingGenerator()</c>
/// with the same retry layer as <see cref="HostedChatClient"/>; failures surface as <see cref="ModelServerException"/>.
/// Many texts are sent in batches of <see cref="HostedEmbeddingOptions.MaxBatchSize"/>, their vectors returned in order.
/// Disposing it releases the HTTP connections it opened.
/// </summary>
public sealed class HostedEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpClient _httpClient;
    private readonly int _maxBatchSize;

    private HostedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, HttpClient httpClient, int maxBatchSize)
        : base(innerGenerator)
    {
        _httpClient = httpClient;
        _maxBatchSize = maxBatchSize;
    }

    /// <summary>Creates a generator for <see cref="HostedModelOptions.ModelId"/> at <see cref="HostedModelOptions.Endpoint"/>.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(HostedModelOptions options, HostedEmbeddingOptions? embeddingOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        embeddingOptions ??= new HostedEmbeddingOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingOptions.MaxBatchSize, nameof(HostedEmbeddingOptions.MaxBatchSize));
        if (embeddingOptions.Dimensions is { } dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions, nameof(HostedEmbeddingOptions.Dimensions));
        }

        var connection = HostedModelConnection.Open(options);
        var embeddingClient = new EmbeddingClient(options.ModelId, connection.ApiKey, connection.ClientOptions);
        return new HostedEmbeddingGenerator(
            embeddingClient.AsIEmbeddingGenerator(embeddingOptions.Dimensions),
            connection.HttpClient,
            embeddingOptions.MaxBatchSize);
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var all = values as IReadOnlyList<string> ?? [.. values];
        if (all.Count == 0)
        {
            // The API refuses an empty input list; there is nothing to ask for.
            return [];
        }

        if (all.Count <= _maxBatchSize)
        {
            return await base.GenerateAsync(all, options, cancellationToken).ConfigureAwait(false);
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(all.Count);
        for (var start = 0; start < all.Count; start += _maxBatchSize)
        {
            var batch = await base.GenerateAsync(Slice(all, start, _maxBatchSize), options, cancellationToken).ConfigureAwait(false);
            embeddings.AddRange(batch);
            if (batch.Usage is { } usage)
            {
                (embeddings.Usage ??= new UsageDetails()).Add(usage);
            }
        }

        return embeddings;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _httpClient.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string[] Slice(IReadOnlyList<string> values, int start, int count)
    {
        var slice = new string[Math.Min(count, values.Count - start)];
        for (var i = 0; i < slice.Length; i++)
        {
            slice[i] = values[start + i];
        }

        return slice;
    }
}
