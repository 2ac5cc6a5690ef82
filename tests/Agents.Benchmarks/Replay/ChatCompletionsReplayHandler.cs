using System.Net;
using System.Net.Http.Headers;

namespace Agents.Benchmarks.Replay;

/// <summary>
/// The HTTP layer replaced in process: no socket, just the two canned chat-completions replies of a
/// tool round. A request without a tool result gets the tool call; one that carries the tool's
/// result gets the answer. The request body is read in full, as a real transport would send it, so
/// each client's serialization is part of what is measured. One round at a time (benchmarks run
/// rounds in sequence); the last request body is kept for checking that the tool really ran.
/// </summary>
internal sealed class ChatCompletionsReplayHandler : HttpMessageHandler
{
    private readonly byte[] _toolCallResponse;
    private readonly byte[] _answerResponse;
    private readonly MemoryStream _lastRequest = new();

    public ChatCompletionsReplayHandler(string toolName)
    {
        _toolCallResponse = CannedChatCompletions.ToolCallResponse(toolName);
        _answerResponse = CannedChatCompletions.AnswerResponse();
    }

    /// <summary>Chat-completions requests answered so far.</summary>
    public int Requests { get; private set; }

    /// <summary>The body of the latest request; valid until the next one.</summary>
    public ReadOnlyMemory<byte> LastRequest => _lastRequest.GetBuffer().AsMemory(0, (int)_lastRequest.Length);

    private static ReadOnlySpan<byte> ToolRole => "\"role\":\"tool\""u8;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) != true)
        {
            // A client that calls anything else fails loudly instead of being measured on a wrong path.
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        _lastRequest.SetLength(0);
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(_lastRequest, cancellationToken).ConfigureAwait(false);
        }

        Requests++;
        var body = LastRequest.Span.IndexOf(ToolRole) >= 0 ? _answerResponse : _toolCallResponse;
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
