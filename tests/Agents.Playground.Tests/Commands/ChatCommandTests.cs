using Agents.Testing;
using Agents.Testing.OpenAI;

namespace Agents.Playground.Tests.Commands;

public sealed class ChatCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task StreamsAnswersShowsTheTraceAndResetsTheSession()
    {
        _server.Enqueue(FakeReply.Text("First answer here."), FakeReply.Text("Second answer here."), FakeReply.Text("Third answer here."));
        var recipe = _folder.Write("chat.yaml", $$"""
            kind: Prompt
            name: pal
            model: { id: test-model, connection: { endpoint: "{{_server.BaseUrl}}" } }
            memory: { store: data/sessions.db }
            """);

        var result = await AgentsProcess.RunAsync(_folder.Path, "Hello\nAnd again\n/trace\n/reset\nAfter reset\n/exit\nnever sent\n", "chat", recipe);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("First answer here.\nSecond answer here.\n", result.Stdout);
        Assert.Contains("run pal Hello", result.Stdout);
        Assert.Contains("run pal And again", result.Stdout);
        Assert.Contains("Session cleared.", result.Stderr);
        Assert.EndsWith("Third answer here.\n", result.Stdout);
        Assert.Equal(3, _server.RequestCount);
        Assert.True(_server.Requests.All(r => r.Stream));

        // The second turn carries the first; after /reset the history is gone.
        Assert.Contains("First answer here.", _server.Requests[1].Messages.GetRawText());
        Assert.DoesNotContain("Hello", _server.Requests[2].Messages.GetRawText());

        // memory.store keeps the conversation for the next chat (relative to the recipe's folder).
        _server.Enqueue(FakeReply.Text("Still here."));
        var next = await AgentsProcess.RunAsync(Path.GetTempPath(), "Remember?\n", "chat", recipe);

        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Equal("Still here.", next.Stdout.Trim());
        Assert.True(File.Exists(_folder.PathOf("data/sessions.db")));
        Assert.Contains("Third answer here.", _server.Requests[3].Messages.GetRawText());
    }
}
