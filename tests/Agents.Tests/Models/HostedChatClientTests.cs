using System.Diagnostics;
using System.Text.RegularExpressions;
using Agents.Models;
using Agents.Testing;
using Agents.Testing.OpenAI;
using Microsoft.Extensions.AI;

namespace Agents.Tests.Models;

public sealed class HostedChatClientTests : IAsyncLifetime
{
    // Generous bounds for behaviour that must end by itself; they only catch hangs, not slowness.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NonStreaming_ReturnsTheText_AndSendsAPlaceholderKeyWhenNoneIsGiven()
    {
        _server.Enqueue(FakeReply.Text("Hello there, traveller."));
        using var client = Create();

        var response = await client.GetResponseAsync("Hi");

        Assert.Equal("Hello there, traveller.", response.Text);
        var request = Assert.Single(_server.Requests);
        Assert.False(request.Stream);
        Assert.Equal("test-model", request.Body.GetProperty("model").GetString());
        Assert.StartsWith("Bearer ", request.Authorization);
        Assert.NotEqual("Bearer ", request.Authorization);
    }

    [Fact]
    public async Task ApiKey_IsSentAsBearerToken()
    {
        _server.Enqueue(FakeReply.Text("ok"));
        using var client = Create(o => o.ApiKey = "sk-test-123");

        await client.GetResponseAsync("Hi");

        Assert.Equal("Bearer sk-test-123", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Streaming_ReassemblesTheText()
    {
        _server.Enqueue(FakeReply.Text("The quick brown fox jumps."));
        using var client = Create();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the text should arrive in pieces");
        Assert.Equal("The quick brown fox jumps.", updates.ToChatResponse().Text);
        Assert.True(Assert.Single(_server.Requests).Stream);
    }

    [Fact]
    public void Metadata_NamesTheModelAndEndpoint()
    {
        using var client = Create();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("test-model", metadata.DefaultModelId);
        Assert.Equal(_server.BaseUrl, metadata.ProviderUri);
    }

    [Fact]
    public async Task ChatOptions_PassThroughToTheRequestBody()
    {
        _server.Enqueue(FakeReply.Text("ok"));
        using var client = Create();

        await client.GetResponseAsync("Hi", new ChatOptions
        {
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokens = 42,
            StopSequences = ["END", "STOP"],
        });

        var body = Assert.Single(_server.Requests).Body;
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(42, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(["END", "STOP"], body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
    }

    public static TheoryData<string> ToolModes() => ["auto", "none", "required", "required:add"];

    [Theory]
    [MemberData(nameof(ToolModes))]
    public async Task Tools_are_sent_exactly_as_the_OpenAI_adapter_sends_them(string mode)
    {
        var add = AIFunctionFactory.Create((int a, int b) => a + b, "add", "Adds two integers.");
        var echo = AIFunctionFactory.Create((string text) => text, "echo", "Echoes.");
        ChatOptions Options() => new()
        {
            Tools = [add, echo],
            ToolMode = mode switch
            {
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                "required:add" => ChatToolMode.RequireSpecific("add"),
                _ => ChatToolMode.Auto,
            },
        };
        _server.Enqueue(FakeReply.Text("ok"), FakeReply.Text("ok"), FakeReply.Text("ok"));
        using var adapter = new OpenAI.Chat.ChatClient("test-model", new System.ClientModel.ApiKeyCredential("k"), new OpenAI.OpenAIClientOptions { Endpoint = _server.BaseUrl }).AsIChatClient();
        using var hosted = Create();

        await adapter.GetResponseAsync("Hi", Options());
        await hosted.GetResponseAsync("Hi", Options());
        await hosted.GetResponseAsync("Hi again", Options());

        var expected = _server.Requests[0].Body;
        foreach (var request in _server.Requests.Skip(1))
        {
            Assert.Equal(expected.GetProperty("tools").GetRawText(), request.Body.GetProperty("tools").GetRawText());
            Assert.Equal(expected.GetProperty("tool_choice").GetRawText(), request.Body.GetProperty("tool_choice").GetRawText());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tool_calls_in_the_reply_come_back_as_function_calls(bool streaming)
    {
        _server.Enqueue(FakeReply.ToolCalls(new FakeToolCall("call_9", "add", """{"a":1,"b":2}""")));
        using var client = Create();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((int a, int b) => a + b, "add")] };

        var response = streaming
            ? await client.GetStreamingResponseAsync("1+2?", options).ToChatResponseAsync()
            : await client.GetResponseAsync("1+2?", options);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_9", "add"), (call.CallId, call.Name));
        Assert.Equal("2", call.Arguments!["b"]!.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimited_WithShortRetryAfter_WaitsThatLongAndRetriesOnce(bool streaming)
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "1"), FakeReply.Text("made it"));
        // A tiny backoff, so only the server's Retry-After can explain a one-second wait.
        using var client = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var stopwatch = Stopwatch.StartNew();
        var response = await AskAsync(client, streaming);

        Assert.Equal("made it", response.Text);
        Assert.Equal(2, _server.RequestCount);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimited_WithRetryAfterBeyondTheLimit_FailsAtOnce(bool streaming)
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "86400"));
        using var client = Create();

        var error = await Assert.ThrowsAsync<ModelServerException>(() => AskAsync(client, streaming).WaitAsync(Bound));

        Assert.Equal(
            $"The model server at {_server.BaseUrl} asked to wait 86400 s before retrying (rate limited), more than the 60 s allowed; try again later or raise MaxRetryAfter.",
            error.Message);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromDays(1), error.RetryAfter);
        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerErrorStorm_TriesMaxAttemptsThenFails(bool streaming)
    {
        _server.Responder = _ => FakeReply.Status(500);
        using var client = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<ModelServerException>(() => AskAsync(client, streaming).WaitAsync(Bound));

        Assert.Equal(4, _server.RequestCount);
        Assert.Equal(500, error.StatusCode);
        Assert.StartsWith($"The model server at {_server.BaseUrl} kept failing (HTTP 500) after 4 attempts", error.Message);
    }

    [Fact]
    public async Task TransientFailure_ThenSuccess_StreamsTheAnswer()
    {
        _server.Enqueue(FakeReply.Status(503), FakeReply.Status(408), FakeReply.Text("third time lucky"));
        using var client = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var response = await AskAsync(client, streaming: true);

        Assert.Equal("third time lucky", response.Text);
        Assert.Equal(3, _server.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerThatNeverAnswers_TimesOutEachAttempt(bool streaming)
    {
        _server.Responder = _ => FakeReply.Hang();
        using var client = Create(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxAttempts = 2;
            o.BaseDelay = TimeSpan.FromMilliseconds(1);
        });

        var error = await Assert.ThrowsAsync<ModelServerException>(() => AskAsync(client, streaming).WaitAsync(Bound));

        Assert.StartsWith($"The model server at {_server.BaseUrl} did not answer within 0.2 s (attempt timeout) in 2 attempts", error.Message);
        Assert.Equal(2, _server.RequestCount);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task TotalTimeout_EndsTheRetriesEvenWhenAttemptsMayTakeLonger()
    {
        _server.Responder = _ => FakeReply.Hang();
        using var client = Create(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.TotalTimeout = TimeSpan.FromMilliseconds(300);
        });

        var error = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync("Hi").WaitAsync(Bound));

        Assert.StartsWith($"The model server at {_server.BaseUrl} gave no answer within 0.3 s (total timeout)", error.Message);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CallerCancellation_MidStream_IsACancellationAndNoRetry()
    {
        _server.Enqueue(FakeReply.StreamThenStall("Hel"));
        using var client = Create();
        using var cts = new CancellationTokenSource();

        var stream = client.GetStreamingResponseAsync("Hi", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        try
        {
            var text = "";
            while (text.Length == 0)
            {
                Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Bound));
                text = stream.Current.Text;
            }

            Assert.Equal("Hel", text);
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.MoveNextAsync().AsTask().WaitAsync(Bound));
        }
        finally
        {
            await stream.DisposeAsync();
        }

        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CallerCancellation_WhileWaitingForHeaders_IsACancellationAndNoRetry()
    {
        _server.Responder = _ => FakeReply.Hang();
        using var client = Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("Hi", cancellationToken: cts.Token).WaitAsync(Bound));

        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnreachableEndpoint_SaysSoAndWhatToDo(bool streaming)
    {
        var endpoint = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/v1/");
        using var client = Create(o =>
        {
            o.Endpoint = endpoint;
            o.MaxAttempts = 2;
            o.BaseDelay = TimeSpan.FromMilliseconds(1);
        });

        var error = await Assert.ThrowsAsync<ModelServerException>(() => AskAsync(client, streaming).WaitAsync(Bound));

        Assert.Equal(
            $"Could not reach the model server at {endpoint}: connection refused. Check the endpoint and that the server is running.",
            error.Message);
        Assert.Equal(endpoint, error.Endpoint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refusal_QuotesTheServersReason_AndIsNotRetried(bool streaming)
    {
        _server.Enqueue(FakeReply.Status(401, message: "Incorrect API key provided: sk-****."));
        using var client = Create();

        var error = await Assert.ThrowsAsync<ModelServerException>(() => AskAsync(client, streaming).WaitAsync(Bound));

        Assert.Equal(
            $"The model server at {_server.BaseUrl} refused the request (HTTP 401): Incorrect API key provided: sk-****.",
            error.Message);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedConnection_IsRetried(bool streaming)
    {
        _server.Enqueue(FakeReply.Disconnect(), FakeReply.Text("back again"));
        using var client = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var response = await AskAsync(client, streaming).WaitAsync(Bound);

        Assert.Equal("back again", response.Text);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task DroppedConnection_EveryTime_SaysSo()
    {
        _server.Responder = _ => FakeReply.Disconnect();
        using var client = Create(o => o.BaseDelay = TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync("Hi").WaitAsync(Bound));

        Assert.Equal(4, _server.RequestCount);
        // Reset or a clean close: which one the client sees depends on the socket stack, not on us.
        Assert.Matches(
            $@"^The model server at {Regex.Escape(_server.BaseUrl.ToString())} broke off the connection \((connection reset|the response ended early)\) after 4 attempts; try again later or check the server's logs\.$",
            error.Message);
    }

    [Fact]
    public void InvalidOptions_AreRejectedUpFront()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostedChatClient.Create(new HostedModelOptions { ModelId = "m", MaxAttempts = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostedChatClient.Create(new HostedModelOptions { ModelId = "m", AttemptTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => HostedChatClient.Create(new HostedModelOptions { ModelId = " " }));
    }

    private IChatClient Create(Action<HostedModelOptions>? configure = null)
    {
        var options = new HostedModelOptions { ModelId = "test-model", Endpoint = _server.BaseUrl };
        configure?.Invoke(options);
        return HostedChatClient.Create(options);
    }

    private static async Task<ChatResponse> AskAsync(IChatClient client, bool streaming)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync("Hi");
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

}
