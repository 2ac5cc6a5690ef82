namespace Agents.Onnx.Downloads;

/// <summary>Where model files come from and how hard to try before giving up; the defaults suit huggingface.co.</summary>
public sealed class ModelDownloadOptions
{
    /// <summary>The Hugging Face hub, used when <see cref="HubBaseUrl"/> is not set.</summary>
    public static Uri DefaultHubBaseUrl { get; } = new("https://huggingface.co/");

    /// <summary>
    /// The hub that resolves repository ids (its <c>/api/models/…/tree</c> listing and <c>/…/resolve/…</c> files);
    /// <see langword="null"/> means <see cref="DefaultHubBaseUrl"/>. A mirror, or a loopback server in tests.
    /// </summary>
    public Uri? HubBaseUrl { get; set; }

    /// <summary>An access token sent as a bearer token, for gated or private repositories; none by default.</summary>
    public string? Token { get; set; }

    /// <summary>How many times one file is requested at most, the first try included; each retry resumes where the last stopped.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first wait before a retry; later waits grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a connection may go without delivering a byte (or its response headers) before the attempt counts
    /// as interrupted and is retried. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many redirects one request may follow (the hub sends file downloads to a CDN).</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>How many pages of a repository listing are read at most; the hub pages listings of large repositories.</summary>
    public int MaxListingPages { get; set; } = 100;

    /// <summary>The clock for retry waits, stall timeouts and transfer rates.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal Uri EffectiveHubBaseUrl
    {
        get
        {
            var hub = HubBaseUrl ?? DefaultHubBaseUrl;
            return hub.AbsoluteUri.EndsWith('/') ? hub : new Uri(hub.AbsoluteUri + "/");
        }
    }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxAttempts, 100, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBaseDelay, TimeSpan.Zero, nameof(RetryBaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRedirects, 0, nameof(MaxRedirects));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxListingPages, 1, nameof(MaxListingPages));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (StallTimeout != Timeout.InfiniteTimeSpan && StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StallTimeout), StallTimeout, "StallTimeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        if (HubBaseUrl is { } hub && (!hub.IsAbsoluteUri || hub.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"HubBaseUrl must be an absolute http or https URL, not '{hub}'.", nameof(HubBaseUrl));
        }
    }
}
