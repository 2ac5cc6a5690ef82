using Agents.Models;
using Agents.Steps;
using Agents.Testing.OpenAI;
using Agents.Tools.Sql;

namespace Agents.Tools.Tests.Sql;

/// <summary>The SQL tools inside a real agent run against a loopback model: the model asks, the table flows back, the answer uses it.</summary>
public sealed class SqlQueryToolAgentTests : IAsyncLifetime
{
    private readonly ChinookCopy _chinook = new();
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _chinook.Dispose();
    }

    [Fact]
    public async Task The_model_reads_the_schema_then_queries_and_answers_from_the_table()
    {
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "sql_schema", "{}")),
            FakeReply.ToolCalls(new FakeToolCall("call_2", "sql_query", """{"query": "SELECT count(*) AS Artists FROM Artist"}""")),
            FakeReply.Text("The store has 275 artists."));

        var result = await CreateAgent().RunAsync("How many artists does the store have?");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["sql_query", "sql_schema"], _server.Requests[0].ToolNames.Order(StringComparer.Ordinal));
        Assert.Contains("TABLE Artist(ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120))", LastToolMessage(_server.Requests[1]));
        Assert.Equal("<tool_output tool=\"sql_query\" status=\"ok\">\nArtists\n275\n(1 row)\n</tool_output>", LastToolMessage(_server.Requests[2]));
        Assert.Equal("The store has 275 artists.", result.Answer);
    }

    [Fact]
    public async Task A_refused_write_is_an_error_the_model_sees_and_the_run_goes_on()
    {
        var before = _chinook.Fingerprint();
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "sql_query", """{"query": "DROP TABLE Artist"}""")),
            FakeReply.ToolCalls(new FakeToolCall("call_2", "sql_query", """{"query": "SELECT Name FROM Artist WHERE ArtistId = 1"}""")),
            FakeReply.Text("I cannot drop tables; the first artist is AC/DC."));

        var result = await CreateAgent().RunAsync("Drop the artists, then tell me the first one.");

        Assert.True(result.Succeeded, result.Error);
        var refused = result.Steps.OfType<ToolResultStep>().First();
        Assert.False(refused.Ok);
        Assert.Contains("Only read-only SELECT queries are allowed: DROP TABLE is refused.", refused.Result);
        Assert.Contains("Only read-only SELECT queries are allowed: DROP TABLE is refused.", LastToolMessage(_server.Requests[1]));
        Assert.Contains("AC/DC", LastToolMessage(_server.Requests[2]));
        Assert.Equal(before, _chinook.Fingerprint());
    }

    private Agent CreateAgent()
    {
        var options = new AgentOptions { Name = "chinook-analyst" };
        foreach (var function in SqlQueryTool.CreateFunctions(new SqlToolOptions { DatabasePath = _chinook.DatabasePath }))
        {
            options.Tools.Add(function);
        }

        var client = HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = _server.BaseUrl, ApiKey = "test-key" });
        return new Agent(client, options);
    }

    private static string LastToolMessage(RecordedRequest request) =>
        request.Messages.EnumerateArray().Last(m => m.GetProperty("role").GetString() == "tool").GetProperty("content").GetString()!;
}
