using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Testing.OpenAI;

/// <summary>
/// A real HTTP server on loopback that speaks the OpenAI wire format: chat completions, streaming
/// (server-sent events, tool-call arguments split across chunks) and not, and embeddings (float or
/// base64 vectors). Replies are scripted in order with <see cref="Enqueue"/>, or computed by
/// <see cref="Responder"/> once the queue is empty; embedding vectors come from <see cref="Embedder"/>.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();


    /// <summary>The base URL to give an OpenAI client, ending in <c>/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How many characters of tool-call arguments go in one streamed chunk.</summary>
    public int ArgumentChunkSize { get; set; } = 7;

    /// <summary>Answers requests once the scripted queue is empty; by default a 500 saying nothing was scripted.</summary>
    public Func<RecordedRequest, FakeReply>? Responder { get; set; }

    /// <summary>
    /// The vector of one embeddings input, for requests that no scripted reply or <see cref="Responder"/> fails;
    /// cut to the request's <c>dimensions</c> when it asks for fewer. Without it embeddings requests get a 500.
    /// </summary>
    public Func<string, float[]>? Embedder { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = new FakeOpenAIServer();
        server._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", server.HandleAsync);
            app.MapPost("/v1/embeddings", server.HandleEmbeddingsAsync);
        }).ConfigureAwait(false);
        server.BaseUrl = server._server.Url("v1/");
        return server;
    }

    public FakeOpenAIServer Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var (request, reply, model) = await ReceiveAsync(context).ConfigureAwait(false);
        reply ??= FakeReply.Status(500, message: "no reply scripted");
        if (await TryFailAsync(context, reply).ConfigureAwait(false))
        {
            return;
        }

        if (request.Stream)
        {
            await StreamAsync(context, model, reply).ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, Completion(model, reply)).ConfigureAwait(false);
        }
    }

    private async Task HandleEmbeddingsAsync(HttpContext context)
    {
        var (request, reply, model) = await ReceiveAsync(context).ConfigureAwait(false);
        if (Embedder is null)
        {
            reply ??= FakeReply.Status(500, message: "no embedder set");
        }

        if (reply is not null)
        {
            if (!await TryFailAsync(context, reply).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{reply.GetType().Name} cannot answer an embeddings request.");
            }

            return;
        }

        var dimensions = request.Body.TryGetProperty("dimensions", out var d) ? d.GetInt32() : int.MaxValue;
        var base64 = request.Body.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var data = new JsonArray();
        var tokens = 0;
        var inputs = request.EmbeddingInputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Embedder!(inputs[i]);
            vector = vector.Length > dimensions ? vector[..dimensions] : vector;
            tokens += inputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                // Base64 is the raw little-endian float32 bytes, as OpenAI sends them.
                ["embedding"] = base64
                    ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()))
                    : new JsonArray([.. vector.Select(v => (JsonNode)v)]),
            });
        }

        await WriteJsonAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }).ConfigureAwait(false);
    }

    /// <summary>Records the request and picks its reply: the next scripted one, else the responder's, else <see langword="null"/>.</summary>
    private async Task<(RecordedRequest Request, FakeReply? Reply, string Model)> ReceiveAsync(HttpContext context)
    {
        var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var request = new RecordedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body.RootElement.Clone());
        _requests.Enqueue(request);
        var reply = _replies.TryDequeue(out var scripted) ? scripted : Responder?.Invoke(request);
        var model = body.RootElement.TryGetProperty("model", out var m) ? m.GetString() ?? "fake" : "fake";
        return (request, reply, model);
    }

    /// <summary>Sends a reply that is a failure (a status, a hang, a dropped connection) and says whether it was one.</summary>
    private static async Task<bool> TryFailAsync(HttpContext context, FakeReply reply)
    {
        switch (reply)
        {
            case StatusReply status:
                context.Response.StatusCode = status.StatusCode;
                if (status.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = status.RetryAfter;
                }

                await WriteJsonAsync(context, new JsonObject
                {
                    ["error"] = new JsonObject { ["message"] = status.Message, ["type"] = "scripted", ["code"] = status.StatusCode.ToString() },
                }).ConfigureAwait(false);
                return true;
            case HangReply:
                await WaitForAbortAsync(context).ConfigureAwait(false);
                return true;
            case DisconnectReply:
                context.Abort();
                return true;
            default:
                return false;
        }
    }

    private static JsonObject Completion(string model, FakeReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant" };
        string finishReason;
        int promptTokens, completionTokens;
        switch (reply)
        {
            case TextReply text:
                message["content"] = text.Content;
                (finishReason, promptTokens, completionTokens) = ("stop", text.PromptTokens, text.CompletionTokens);
                break;
            case ToolCallsReply calls:
                message["content"] = null;
                message["tool_calls"] = new JsonArray([.. calls.Calls.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
                })]);
                (finishReason, promptTokens, completionTokens) = ("tool_calls", calls.PromptTokens, calls.CompletionTokens);
                break;
            default:
                throw new InvalidOperationException($"{reply.GetType().Name} cannot be sent as a completion.");
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
            ["usage"] = Usage(promptTokens, completionTokens),
        };
    }

    private async Task StreamAsync(HttpContext context, string model, FakeReply reply)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var ct = context.RequestAborted;
        await SendChunkAsync(context, model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null).ConfigureAwait(false);
        switch (reply)
        {
            case TextReply text:
                foreach (var piece in SplitText(text.Content))
                {
                    await SendChunkAsync(context, model, new JsonObject { ["content"] = piece }, null).ConfigureAwait(false);
                }

                await SendChunkAsync(context, model, new JsonObject(), "stop").ConfigureAwait(false);
                await SendUsageAsync(context, model, text.PromptTokens, text.CompletionTokens).ConfigureAwait(false);
                break;
            case ToolCallsReply calls:
                for (var i = 0; i < calls.Calls.Count; i++)
                {
                    var call = calls.Calls[i];
                    await SendChunkAsync(context, model, ToolDelta(i, new JsonObject { ["name"] = call.Name, ["arguments"] = "" }, call.Id), null).ConfigureAwait(false);
                    for (var at = 0; at < call.ArgumentsJson.Length; at += ArgumentChunkSize)
                    {
                        var piece = call.ArgumentsJson.Substring(at, Math.Min(ArgumentChunkSize, call.ArgumentsJson.Length - at));
                        await SendChunkAsync(context, model, ToolDelta(i, new JsonObject { ["arguments"] = piece }, null), null).ConfigureAwait(false);
                    }
                }

                await SendChunkAsync(context, model, new JsonObject(), "tool_calls").ConfigureAwait(false);
                await SendUsageAsync(context, model, calls.PromptTokens, calls.CompletionTokens).ConfigureAwait(false);
                break;
            case StreamThenStallReply stall:
                await SendChunkAsync(context, model, new JsonObject { ["content"] = stall.Content }, null).ConfigureAwait(false);
                await WaitForAbortAsync(context).ConfigureAwait(false);
                return;
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static JsonObject ToolDelta(int index, JsonObject function, string? id)
    {
        var call = new JsonObject { ["index"] = index };
        if (id is not null)
        {
            call["id"] = id;
            call["type"] = "function";
        }

        call["function"] = function;
        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    private static IEnumerable<string> SplitText(string text)
    {
        // Word-sized pieces, like a real model's tokens, so clients must reassemble them.
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    private static Task SendChunkAsync(HttpContext context, string model, JsonObject delta, string? finishReason) =>
        SendEventAsync(context, new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
        });

    private static Task SendUsageAsync(HttpContext context, string model, int promptTokens, int completionTokens) =>
        SendEventAsync(context, new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = Usage(promptTokens, completionTokens),
        });

    private static async Task SendEventAsync(HttpContext context, JsonObject payload)
    {
        await context.Response.WriteAsync("data: " + payload.ToJsonString() + "\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject Usage(int promptTokens, int completionTokens) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
    };

    private static async Task WriteJsonAsync(HttpContext context, JsonObject payload)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(payload.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WaitForAbortAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up, which is what a hanging reply waits for.
        }
    }
}
