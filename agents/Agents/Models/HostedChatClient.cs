using Microsoft.Extensions.AI;
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
        var connection = HostedModelConnection.Open(options);
        var chatClient = new ChatClient(options.ModelId, connection.ApiKey, connection.ClientOptions);
        return new HostedChatClient(chatClient.AsIChatClient(), connection.HttpClient);
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
