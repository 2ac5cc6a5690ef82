using System.Text.Json;
using Agents.Testing;
using Agents.Testing.OpenAI;

namespace Agents.Playground.Tests.Commands;

public sealed class RunCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunsARecipeWithAToolPrintsTheAnswerAndWritesTheTrace()
    {
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "current_time", "{}")),
            FakeReply.Text("It is noon.", promptTokens: 20, completionTokens: 4));
        var recipe = _folder.Write("clock.yaml", $$"""
            kind: Prompt
            name: clock
            instructions: Tell the time.
            model:
              id: test-model
              connection: { endpoint: "{{_server.BaseUrl}}" }
            tools:
              - kind: currentTime
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "What time is it?", "--trace", "out/run.jsonl");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("It is noon.", result.Stdout.Trim());
        Assert.Contains("→ current_time", result.Stderr);
        Assert.Contains("← current_time ok", result.Stderr);
        Assert.Equal(["current_time"], _server.Requests[0].ToolNames);

        var lines = File.ReadAllLines(_folder.PathOf("out/run.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            ["run.start", "model.call", "tool.call", "tool.result", "model.call", "answer", "run.end"],
            lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), lines.Select(l => l.GetProperty("seq").GetInt64()));
        Assert.Equal("clock", lines[0].GetProperty("agent").GetString());
        Assert.Equal("call_1", lines[3].GetProperty("callId").GetString());
        Assert.True(lines[3].GetProperty("ok").GetBoolean());
        Assert.Equal(30, lines[6].GetProperty("usage").GetProperty("inputTokens").GetInt64());
    }

    [Fact]
    public async Task JsonFromFlagsAlonePrintsOneResultObject()
    {
        _server.Enqueue(FakeReply.Text("Hello there.", promptTokens: 12, completionTokens: 3));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", "--input", "hi", "--model", "test-model", "--endpoint", _server.BaseUrl.ToString(), "--api-key", "k-123", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(["answer", "citations", "steps", "usage"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Hello there.", root.GetProperty("answer").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("citations").ValueKind);
        Assert.Equal(["run.start", "model.call", "answer", "run.end"], root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Equal(["inputTokens", "outputTokens"], root.GetProperty("usage").EnumerateObject().Select(p => p.Name));
        Assert.Equal(12, root.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        Assert.Equal("Bearer k-123", _server.Requests[0].Authorization);
    }

    [Theory]
    [InlineData("Unrecognized option '--bogus'", "run", "--input", "hi", "--bogus")]
    [InlineData("'--input' is required", "run", "--model", "m")]
    [InlineData("The model folder /models/phi does not exist", "run", "--input", "hi", "--model", "onnx:/models/phi")]
    [InlineData("No model is set", "run", "--input", "hi", "--endpoint", "http://127.0.0.1:1/v1")]
    public async Task UsageErrorsExitTwoWithOneSentence(string words, params string[] args)
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, args);

        result.AssertOneSentenceFailure(2);
        Assert.Contains(words, result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task RunsARecipeOnALocalOnnxModelWithAToolOffered()
    {
        var model = Path.Combine(AppContext.BaseDirectory, "models", "tiny-llama");
        var recipe = _folder.Write("local.yaml", $$"""
            kind: Prompt
            name: local
            instructions: Tell the time.
            model:
              provider: onnx
              connection: { path: "{{model}}" }
              options: { temperature: 0, maxOutputTokens: 12 }
            tools:
              - kind: currentTime
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "What time is it?", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        var call = Assert.Single(steps, s => s.GetProperty("type").GetString() == "model.call");
        Assert.Equal("tiny-llama", call.GetProperty("model").GetString());
        Assert.InRange(json.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt64(), 1, 12);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ALocalModelFlagOverridesTheRecipesHostedModel()
    {
        var model = Path.Combine(AppContext.BaseDirectory, "models", "tiny-llama");
        var recipe = _folder.Write("hosted.yaml", $$"""
            kind: Prompt
            model:
              id: test-model
              connection: { endpoint: "{{_server.BaseUrl}}" }
              options: { temperature: 0, maxOutputTokens: 4 }
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "hi", "--model", $"onnx:{model}", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(4, json.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt64());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task MalformedRecipeExitsTwoWithFileLineAndColumn()
    {
        var recipe = _folder.Write("bad.yaml", "kind: Prompt\nmodel: { id: m, temprature: 1 }\n");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "hi");

        result.AssertOneSentenceFailure(2);
        Assert.StartsWith($"{recipe}:2:17: unknown field 'temprature'", result.Stderr);
    }

    [Fact]
    public async Task RetrievesBeforeAnsweringCitesThePassagesAndTracesTheRetrieval()
    {
        await SampleDocuments.IngestAsync(_folder.Path, "docs.db");
        _server.Enqueue(FakeReply.Text("They huddle together through the winter [docs/notes.txt#0] [docs/made-up.md#9]."));
        var recipe = _folder.Write("grounded.yaml", $$"""
            kind: Prompt
            name: grounded
            instructions: Answer from the documents.
            model: { id: test-model, connection: { endpoint: "{{_server.BaseUrl}}" } }
            tools:
              - kind: retrieval
                store: docs.db
                top: 2
                retrieveFirst: true
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "How do penguins survive the winter?", "--json", "--trace", "run.jsonl");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(["search_documents"], request.ToolNames);
        var documents = Assert.Single(Contents(request), c => c.StartsWith("<documents count=\"2\">", StringComparison.Ordinal));
        Assert.Contains("<document id=\"docs/notes.txt#0\" source=\"docs/notes.txt\"", documents);
        Assert.Contains("Emperor penguins huddle together", documents);

        using var json = JsonDocument.Parse(result.Stdout);
        var citation = Assert.Single(json.RootElement.GetProperty("citations").EnumerateArray());
        Assert.Equal("docs/notes.txt#0", citation.GetProperty("id").GetString());
        Assert.Equal("docs/notes.txt", citation.GetProperty("source").GetString());

        var retrieval = File.ReadAllLines(_folder.PathOf("run.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("type").GetString() == "retrieval");
        Assert.Equal("How do penguins survive the winter?", retrieval.GetProperty("query").GetString());
        var hits = retrieval.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.Equal(["id", "source", "score"], h.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("docs/notes.txt#0", hits[0].GetProperty("id").GetString());
        Assert.Equal("docs/notes.txt", hits[0].GetProperty("source").GetString());
        Assert.True(hits[0].GetProperty("score").GetDouble() >= hits[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task TheModelSearchesTheRecipesStoreWithSearchDocuments()
    {
        await SampleDocuments.IngestAsync(_folder.Path, "docs.db");
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "search_documents", """{"query": "turbine rotor speed", "top": 1}""")),
            FakeReply.Text("It spins at 3000 rpm [docs/manual.pdf#0]."));
        var recipe = _folder.Write("search.yaml", $$"""
            kind: Prompt
            model: { id: test-model, connection: { endpoint: "{{_server.BaseUrl}}" } }
            tools: [{ kind: retrieval, store: docs.db, mode: keyword }]
            """);

        // Elsewhere: the store is found next to the recipe, not in the working directory.
        var result = await AgentsProcess.RunAsync(Path.GetTempPath(), null, "run", recipe, "--input", "How fast does the rotor spin?", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(2, _server.RequestCount);
        Assert.DoesNotContain(Contents(_server.Requests[0]), c => c.Contains("<document id=", StringComparison.Ordinal));
        Assert.Contains(Contents(_server.Requests[1]), c => c.Contains("<document id=\"docs/manual.pdf#0\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(result.Stdout);
        var retrieval = json.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("type").GetString() == "retrieval");
        Assert.Equal("turbine rotor speed", retrieval.GetProperty("query").GetString());
        Assert.Equal("docs/manual.pdf#0", Assert.Single(retrieval.GetProperty("hits").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("docs/manual.pdf#0", Assert.Single(json.RootElement.GetProperty("citations").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ARecipeWhoseStoreDoesNotExistExitsTwoWithOneSentence()
    {
        var recipe = _folder.Write("lost.yaml", $$"""
            kind: Prompt
            model: { id: test-model, connection: { endpoint: "{{_server.BaseUrl}}" } }
            tools: [{ kind: retrieval, store: missing.db }]
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", recipe, "--input", "hi");

        result.AssertOneSentenceFailure(2);
        Assert.StartsWith($"There is no document store at '{_folder.PathOf("missing.db")}';", result.Stderr);
        Assert.False(File.Exists(_folder.PathOf("missing.db")));
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task UnreachableModelExitsOneWithOneSentence()
    {
        var endpoint = $"http://127.0.0.1:{LoopbackPorts.Closed()}/v1";

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "run", "--input", "hi", "--model", "m", "--endpoint", endpoint);

        result.AssertOneSentenceFailure(1);
        Assert.Contains(endpoint, result.Stderr);
        Assert.Empty(result.Stdout);
    }

    /// <summary>The text of each message of a chat request, whether sent as a string or as parts.</summary>
    private static IEnumerable<string> Contents(RecordedRequest request) =>
        request.Messages.EnumerateArray().Select(m => m.TryGetProperty("content", out var content) ? content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(part => part.TryGetProperty("text", out var text) ? text.GetString() : "")),
            _ => "",
        } : "");
}
