using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Agents.Models;

/// <summary>
/// A hosted model behind any OpenAI-compatible chat-completions endpoint, as an <see cref="IChatClient"/>.
/// Built on the OpenAI SDK through <c>AsIChatClient()</c>, with one retry layer of our own underneath
/// (<see cref="HostedModelOptions"/>); failures surface as <see cref="ModelServerException"/>.
/// Disposing it releases the HTTP connections it opened.
/// </summary>
public sealed class HostedChatClient : DelegatingChatClient
{
    // OpenAI-compatible local servers often need no key, but the SDK insists on one.
    private const string PlaceholderApiKey = "no-key";

    private readonly HttpClient _httpClient;
    private readonly OpenAIToolDeclarations _toolDeclarations = new();

    private HostedChatClient(IChatClient innerClient, HttpClient httpClient)
        : base(innerClient)
    {
        _httpClient = httpClient;
    }

    /// <summary>Creates a chat client for <see cref="HostedModelOptions.ModelId"/> at <see cref="HostedModelOptions.Endpoint"/>.</summary>
    public static IChatClient Create(HostedModelOptions options)
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
        var chatClient = new ChatClient(options.ModelId, apiKey, clientOptions);
        return new HostedChatClient(chatClient.AsIChatClient(), httpClient);
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, _toolDeclarations.Apply(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, _toolDeclarations.Apply(options), cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _httpClient.Dispose();
        }

        base.Dispose(disposing);
    }
}
