using System.Text.Json;
using Agents.Benchmarks.Replay;

namespace Agents.Benchmarks.Rounds;

/// <summary>
/// One way of playing the tool round (question → tool call → tool runs → answer) over the replay
/// handler. <see cref="VerifyAsync"/> proves the whole path runs before anything is measured.
/// </summary>
internal abstract class ToolRound : IDisposable
{
    protected ToolRound(string toolName)
    {
        Handler = new ChatCompletionsReplayHandler(toolName);
        Http = new HttpClient(Handler) { BaseAddress = ToolRoundScript.Endpoint };
    }

    public abstract string Name { get; }

    public ChatCompletionsReplayHandler Handler { get; }

    protected HttpClient Http { get; }

    /// <summary>Plays one round and returns the final answer text.</summary>
    public abstract Task<string?> RunAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Plays one round and throws unless it made exactly two requests, the second carried the tool's
    /// result, and the answer is the scripted one — a broken path must never be timed.
    /// </summary>
    public virtual async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var before = Handler.Requests;
        var answer = await RunAsync(cancellationToken).ConfigureAwait(false);
        if (answer != ToolRoundScript.Answer)
        {
            throw new InvalidOperationException($"{Name}: the answer was '{answer}', expected '{ToolRoundScript.Answer}'.");
        }

        if (Handler.Requests - before != 2)
        {
            throw new InvalidOperationException($"{Name}: the round made {Handler.Requests - before} model requests, expected 2.");
        }

        var toolMessage = FindToolMessage(Handler.LastRequest);
        if (toolMessage is not { } message
            || message.GetProperty("tool_call_id").GetString() != ToolRoundScript.CallId
            || !message.GetProperty("content").GetRawText().Contains(ToolRoundScript.ToolResult, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Name}: the second request did not carry the tool's result '{ToolRoundScript.ToolResult}' for {ToolRoundScript.CallId}.");
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
        }
    }

    private static JsonElement? FindToolMessage(ReadOnlyMemory<byte> request)
    {
        using var document = JsonDocument.Parse(request);
        foreach (var message in document.RootElement.GetProperty("messages").EnumerateArray())
        {
            if (message.GetProperty("role").GetString() == "tool")
            {
                return message.Clone();
            }
        }

        return null;
    }
}
