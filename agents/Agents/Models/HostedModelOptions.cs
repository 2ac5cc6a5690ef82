namespace Agents.Models;

/// <summary>
/// How to reach a hosted model behind an OpenAI-compatible chat-completions or embeddings API (OpenAI, Azure OpenAI,
/// Ollama, vLLM, llama.cpp server, LM Studio) and how hard to try before giving up.
/// </summary>
public sealed class HostedModelOptions
{
    /// <summary>OpenAI's own endpoint, used when <see cref="Endpoint"/> is not set.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://api.openai.com/v1/");

    /// <summary>The model to ask for, e.g. <c>gpt-4o-mini</c>, <c>qwen2.5:7b</c> or <c>text-embedding-3-small</c>.</summary>
    public required string ModelId { get; set; }

    /// <summary>The API base address (the part before <c>chat/completions</c> or <c>embeddings</c>); <see langword="null"/> means <see cref="DefaultEndpoint"/>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key; a local server may need none, and then a placeholder is sent.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times one request is sent at most, the first try included.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>
    /// How long one attempt may take: until the response headers for a streamed reply, until the whole
    /// body otherwise. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How long all attempts together may take, waits between them included. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait before a retry; later waits grow exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <c>Retry-After</c> a server may ask for; a longer one fails at once with a clear
    /// error instead of a silent wait.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock for timeouts and waits.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The innermost HTTP handler; <see langword="null"/> means a new <see cref="SocketsHttpHandler"/>.
    /// Lets benchmarks replay canned responses without sockets. The caller keeps ownership of it.
    /// </summary>
    public HttpMessageHandler? Transport { get; set; }

    internal Uri EffectiveEndpoint => Endpoint ?? DefaultEndpoint;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelId, nameof(ModelId));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAfter, TimeSpan.Zero, nameof(MaxRetryAfter));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ValidateTimeout(AttemptTimeout, nameof(AttemptTimeout));
        ValidateTimeout(TotalTimeout, nameof(TotalTimeout));
    }

    private static void ValidateTimeout(TimeSpan timeout, string name)
    {
        // The bounds are those of Polly's timeout strategy, which enforces these.
        if (timeout != Timeout.InfiniteTimeSpan && (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"{name} must be between 10 ms and 24 h, or Timeout.InfiniteTimeSpan.");
        }
    }
}
