using Agents.Models;
using Agents.Steps;
using Agents.Testing.OpenAI;
using Agents.Tools.JavaScript;

namespace Agents.Tools.Tests.JavaScript;

public sealed class JavaScriptToolAgentTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_model_runs_a_script_and_answers_with_its_result()
    {
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "run_javascript", """{"code":"console.log('summing'); [17, 25, 58].reduce((a, b) => a + b, 0)"}""")),
            FakeReply.Text("The total is 100."));
        var options = new AgentOptions { Name = "calculator" };
        options.Tools.Add(JavaScriptTool.CreateFunction());
        var agent = new Agent(HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = _server.BaseUrl, ApiKey = "test-key" }), options);

        var run = await agent.RunAsync("What is 17 + 25 + 58?");

        Assert.Contains("run_javascript", _server.Requests[0].ToolNames);
        var result = run.Steps.OfType<ToolResultStep>().Single();
        Assert.True(result.Ok, result.Result);
        var toolMessage = _server.Requests[1].Messages.EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Contains("summing\n=> 100", toolMessage.GetProperty("content").GetString());
        Assert.Equal("The total is 100.", run.Steps.OfType<AnswerStep>().Single().Text);
    }

    [Fact]
    public async Task A_runaway_script_becomes_an_error_the_model_sees()
    {
        _server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "run_javascript", """{"code":"while (true) {}"}""")),
            FakeReply.Text("The script did not finish."));
        var options = new AgentOptions { Name = "calculator" };
        options.Tools.Add(JavaScriptTool.CreateFunction(new JavaScriptToolOptions { Timeout = TimeSpan.FromMilliseconds(200) }));
        var agent = new Agent(HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = _server.BaseUrl, ApiKey = "test-key" }), options);

        var run = await agent.RunAsync("Loop forever.");

        var result = run.Steps.OfType<ToolResultStep>().Single();
        Assert.False(result.Ok);
        Assert.Contains("The script ran longer than 200 ms and was stopped.", result.Result);
        var toolMessage = _server.Requests[1].Messages.EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Contains("status=\"error\"", toolMessage.GetProperty("content").GetString());
        Assert.Equal("The script did not finish.", run.Steps.OfType<AnswerStep>().Single().Text);
    }
}
