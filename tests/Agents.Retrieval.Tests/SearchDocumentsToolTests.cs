using System.Text.Json;
using Agents.Grounding;
using Agents.Models;
using Agents.Steps;
using Agents.Testing.OpenAI;

namespace Agents.Retrieval.Tests;

public sealed class SearchDocumentsToolTests : IAsyncLifetime
{
    private readonly DocumentStoreFixture _fixture = new();
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _fixture.Dispose();
    }

    [Fact]
    public async Task The_model_searches_the_store_sees_the_passages_and_its_answer_cites_them()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "faq.md", "Shipping is free over 50 euros.", "Refunds take 14 days.");
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "search_documents", """{"query": "how long do refunds take", "top": 1}""")),
            FakeReply.Text("Refunds take 14 days [faq.md#1]."));
        var options = new AgentOptions { Name = "support" };
        options.Tools.Add(SearchDocumentsTool.CreateFunction(store));

        var result = await new Agent(ChatClient(), options).RunAsync("How long do refunds take?");

        Assert.Equal("Refunds take 14 days [faq.md#1].", result.Answer);
        Assert.Equal([new Citation("faq.md#1", "faq.md", "Section 1")], result.Citations);
        var retrieval = result.Steps.OfType<RetrievalStep>().Single();
        Assert.Equal("how long do refunds take", retrieval.Query);
        Assert.Equal("faq.md#1", retrieval.Hits.Single().Id);
        var toolMessage = _server.Requests[1].Messages.EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Contains("<document id=\"faq.md#1\" source=\"faq.md\" position=\"Section 1\">\nRefunds take 14 days.\n</document>", toolMessage.GetProperty("content").GetString());
        Assert.Contains("search_documents", _server.Requests[0].ToolNames);
    }

    [Fact]
    public async Task A_bad_query_from_the_model_becomes_an_error_it_can_read_and_the_run_goes_on()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "faq.md", "text");
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "search_documents", JsonSerializer.Serialize(new { query = new string('x', 10_000) }))),
            FakeReply.Text("I could not search."));
        var options = new AgentOptions();
        options.Tools.Add(SearchDocumentsTool.CreateFunction(store));

        var result = await new Agent(ChatClient(), options).RunAsync("q");

        var toolResult = result.Steps.OfType<ToolResultStep>().Single();
        Assert.False(toolResult.Ok);
        Assert.Contains("the limit is 4,096", toolResult.Result);
        Assert.Equal("I could not search.", result.Answer);
        Assert.Empty(result.Steps.OfType<RetrievalStep>());
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    [InlineData(1000, SearchDocumentsTool.MaxTop)]
    public async Task The_number_of_passages_is_clamped_to_a_sane_range(int? asked, int expected)
    {
        var retriever = new CountingRetriever();
        var tool = new SearchDocumentsTool(retriever);

        await tool.SearchAsync("q", asked);

        Assert.Equal(expected, retriever.LastTop);
    }

    private Microsoft.Extensions.AI.IChatClient ChatClient() =>
        HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = _server.BaseUrl, ApiKey = "k", MaxAttempts = 1 });

    private sealed class CountingRetriever : IDocumentRetriever
    {
        public int LastTop { get; private set; }

        public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int top, CancellationToken cancellationToken = default)
        {
            LastTop = top;
            return Task.FromResult<IReadOnlyList<RetrievedPassage>>([]);
        }
    }
}
