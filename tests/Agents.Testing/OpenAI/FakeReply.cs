namespace Agents.Testing.OpenAI;

/// <summary>What the fake OpenAI server answers to one request; only the failures (status, hang, disconnect) answer an embeddings request.</summary>
public abstract record FakeReply
{
    /// <summary>An assistant message with text content.</summary>
    public static FakeReply Text(string text, int promptTokens = 10, int completionTokens = 5) =>
        new TextReply(text, promptTokens, completionTokens);

    /// <summary>An assistant message asking for one or more tool calls; <c>argumentsJson</c> is sent verbatim (it may be broken on purpose).</summary>
    public static FakeReply ToolCalls(params FakeToolCall[] calls) => new ToolCallsReply(calls, 10, 5);

    /// <summary>A bare HTTP status with an optional <c>Retry-After</c> header and an OpenAI-style error body.</summary>
    public static FakeReply Status(int statusCode, string? retryAfter = null, string message = "scripted failure") =>
        new StatusReply(statusCode, retryAfter, message);

    /// <summary>Accepts the request and never answers, until the client gives up.</summary>
    public static FakeReply Hang() => new HangReply();

    /// <summary>Streams <paramref name="text"/> and then stalls before finishing, until the client gives up.</summary>
    public static FakeReply StreamThenStall(string text) => new StreamThenStallReply(text);

    /// <summary>Drops the connection without answering, like a server that crashes or a proxy that resets.</summary>
    public static FakeReply Disconnect() => new DisconnectReply();
}

public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson);

public sealed record TextReply(string Content, int PromptTokens, int CompletionTokens) : FakeReply;

public sealed record ToolCallsReply(IReadOnlyList<FakeToolCall> Calls, int PromptTokens, int CompletionTokens) : FakeReply;

public sealed record StatusReply(int StatusCode, string? RetryAfter, string Message) : FakeReply;

public sealed record HangReply : FakeReply;

public sealed record StreamThenStallReply(string Content) : FakeReply;

public sealed record DisconnectReply : FakeReply;
