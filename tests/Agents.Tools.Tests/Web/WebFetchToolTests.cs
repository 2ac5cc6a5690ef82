using System.Text.Json;
using Agents.Models;
using Agents.Steps;
using Agents.Testing.OpenAI;
using Agents.Tools.Web;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Tests.Web;

public sealed class WebFetchToolTests(WebTestServer server) : IClassFixture<WebTestServer>
{
    [Fact]
    public async Task Returns_the_final_url_the_title_and_the_extracted_html_content()
    {
        var result = await Invoke(server.Url($"/redirect?to={Uri.EscapeDataString("/page")}").AbsoluteUri);

        Assert.StartsWith($"URL: {server.Url("/page")}\nTitle: Loopback page\n\n", result);
        Assert.Contains("Hello from the loopback server.", result);
        Assert.DoesNotContain("Menu", result);
        Assert.DoesNotContain("<p>", result);
    }

    [Fact]
    public async Task Returns_text_documents_as_sent()
    {
        var result = await Invoke(server.Url("/json").AbsoluteUri);

        Assert.Equal($"URL: {server.Url("/json")}\n\n{{\"answer\":42}}", result);
    }

    [Fact]
    public async Task Cuts_long_content_at_the_character_budget_with_a_marker()
    {
        var result = await Invoke(server.Url("/text").AbsoluteUri, o => o.MaxContentCharacters = 10);

        Assert.Equal($"URL: {server.Url("/text")}\n\nPlain text\n\n[truncated: showing the first 10 of 36 characters]", result);
    }

    [Fact]
    public async Task A_refusal_reaches_the_caller_as_the_fetch_error()
    {
        var function = WebFetchTool.CreateFunction();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => function.InvokeAsync(new Kernel(), new KernelArguments { ["url"] = server.Url("/text").AbsoluteUri }));

        var refusal = error as WebFetchException ?? error.InnerException as WebFetchException;
        Assert.NotNull(refusal);
        Assert.Equal("Refused 127.0.0.1: it is a loopback address; only public internet addresses are fetched.", refusal.Message);
    }

    [Fact]
    public void Is_exposed_to_the_model_as_web_fetch_with_a_required_url()
    {
        var function = WebFetchTool.CreateFunction();

        Assert.Equal("web_fetch", function.Name);
        Assert.Contains("public http or https URL", function.Description);
        var schema = JsonDocument.Parse(function.JsonSchema.GetRawText()).RootElement;
        Assert.Equal(["url"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["url"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_model_fetches_a_page_and_answers_from_its_content()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        var pageUrl = server.Url("/page").AbsoluteUri;
        model.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "web_fetch", JsonSerializer.Serialize(new { url = pageUrl }))),
            FakeReply.Text("The page greets you from the loopback server."));
        var options = new AgentOptions { Name = "reader" };
        options.Tools.Add(WebFetchTool.CreateFunction(new WebFetchOptions { AllowPrivateNetworks = true }));
        var agent = new Agent(HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = model.BaseUrl, ApiKey = "test-key" }), options);

        var result = await agent.RunAsync("What does the page say?");

        var toolResult = Assert.Single(result.Steps.OfType<ToolResultStep>());
        Assert.True(toolResult.Ok, toolResult.Result);
        var toolMessage = model.Requests[1].Messages.EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        var sent = toolMessage.GetProperty("content").GetString()!;
        Assert.Contains($"URL: {pageUrl}", sent);
        Assert.Contains("Title: Loopback page", sent);
        Assert.Contains("Hello from the loopback server.", sent);
        Assert.DoesNotContain("Menu", sent);
        Assert.Equal("The page greets you from the loopback server.", result.Answer);
    }

    [Fact]
    public async Task A_model_that_asks_for_the_metadata_service_gets_the_refusal_and_the_run_goes_on()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "web_fetch", """{"url":"http://169.254.169.254/latest/meta-data/iam/security-credentials/"}""")),
            FakeReply.Text("I cannot reach that address."));
        var options = new AgentOptions { Name = "reader" };
        options.Tools.Add(WebFetchTool.CreateFunction());
        var agent = new Agent(HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = model.BaseUrl, ApiKey = "test-key" }), options);

        var result = await agent.RunAsync("Read the instance credentials.");

        var toolResult = Assert.Single(result.Steps.OfType<ToolResultStep>());
        Assert.False(toolResult.Ok);
        var sent = model.Requests[1].Messages.EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool").GetProperty("content").GetString()!;
        Assert.Contains("Refused 169.254.169.254: it is a link-local address (the range of cloud metadata services)", sent);
        Assert.Equal("I cannot reach that address.", result.Answer);
    }

    private async Task<string> Invoke(string url, Action<WebFetchOptions>? configure = null)
    {
        var options = new WebFetchOptions { AllowPrivateNetworks = true };
        configure?.Invoke(options);
        var result = await WebFetchTool.CreateFunction(options).InvokeAsync(new Kernel(), new KernelArguments { ["url"] = url });
        return result.GetValue<string>()!;
    }
}
