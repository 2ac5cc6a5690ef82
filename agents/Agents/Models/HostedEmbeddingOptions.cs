namespace Agents.Models;

/// <summary>Embedding-specific settings for <see cref="HostedEmbeddingGenerator"/>, next to the connection's <see cref="HostedModelOptions"/>.</summary>
public sealed class HostedEmbeddingOptions
{
    /// <summary>
    /// How many dimensions to ask for when a call does not say (models such as <c>text-embedding-3-small</c> can
    /// shorten their vectors); <see langword="null"/> means the model's own size.
    /// </summary>
    public int? Dimensions { get; set; }

    /// <summary>
    /// The most texts sent in one request (default 128); more are split into several requests, sent one after
    /// another. OpenAI takes up to 2,048, but local servers often far fewer, and a smaller batch retries cheaper.
    /// </summary>
    public int MaxBatchSize { get; set; } = 128;
}
