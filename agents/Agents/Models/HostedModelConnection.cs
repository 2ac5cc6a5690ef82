using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace Agents.Models;

/// <summary>
/// What every OpenAI SDK client for a hosted model is built on: an <see cref="HttpClient"/> over our one retry layer
/// (<see cref="ModelServerRetryHandler"/>), the SDK's own retries and timeouts off, and the API key or a placeholder.
/// </summary>
internal sealed class HostedModelConnection
{
    // OpenAI-compatible local servers often need no key, but the SDK insists on one.
    private const string PlaceholderApiKey = "no-key";

    private HostedModelConnection(HttpClient httpClient, OpenAIClientOptions clientOptions, ApiKeyCredential apiKey)
    {
        HttpClient = httpClient;
        ClientOptions = clientOptions;
        ApiKey = apiKey;
    }

    /// <summary>The HTTP client the SDK sends through; whoever owns the SDK client disposes it.</summary>
    public HttpClient HttpClient { get; }

    public OpenAIClientOptions ClientOptions { get; }

    public ApiKeyCredential ApiKey { get; }

    public static HostedModelConnection Open(HostedModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var ownsTransport = options.Transport is null;
        var retryHandler = new ModelServerRetryHandler(options, options.Transport ?? new SocketsHttpHandler());
        // Our pipeline governs time; the HttpClient's own 100 s limit would cut across it.
        var httpClient = new HttpClient(retryHandler, disposeHandler: ownsTransport) { Timeout = Timeout.InfiniteTimeSpan };

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.EffectiveEndpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            // One retry layer only: the SDK's would multiply ours and ignore our limits.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        var apiKey = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? PlaceholderApiKey : options.ApiKey);
        return new HostedModelConnection(httpClient, clientOptions, apiKey);
    }
}
