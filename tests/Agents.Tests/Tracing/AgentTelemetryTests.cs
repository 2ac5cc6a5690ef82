using System.Diagnostics;
using Agents.Models;
using Agents.Testing.OpenAI;
using Agents.Tracing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Agents.Tests.Tracing;

public sealed class AgentTelemetryTests
{
    [Fact]
    public async Task A_run_emits_genai_spans_for_the_agent_the_model_calls_and_the_tools()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(
            FakeReply.ToolCalls(new FakeToolCall("call_1", "test_add", """{"a":1,"b":2}"""), new FakeToolCall("call_2", "test_explode", "{}")),
            FakeReply.Text("3", promptTokens: 40, completionTokens: 2));
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddInMemoryExporter(exported).Build();
        var agentName = "telemetry-" + Guid.NewGuid().ToString("n");
        var options = new AgentOptions { Name = agentName };
        foreach (var function in TestPlugin.Create())
        {
            options.Tools.Add(function);
        }

        var client = HostedChatClient.Create(new HostedModelOptions { ModelId = "fake-model", Endpoint = server.BaseUrl });
        await new Agent(client, options).RunAsync("1 + 2?");
        tracing.ForceFlush();

        // Other tests run agents concurrently; keep only this run's trace.
        var root = exported.Single(a => a.OperationName == $"invoke_agent {agentName}");
        var spans = exported.Where(a => a.TraceId == root.TraceId).ToList();
        Assert.Equal("invoke_agent", root.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(agentName, root.GetTagItem("gen_ai.agent.name"));

        var chats = spans.Where(a => (string?)a.GetTagItem("gen_ai.operation.name") == "chat").ToList();
        Assert.Equal(2, chats.Count);
        Assert.All(chats, c => Assert.Equal(root.SpanId, c.ParentSpanId));
        Assert.Equal("fake-model", chats[0].GetTagItem("gen_ai.request.model"));
        Assert.Contains(chats, c => (long?)c.GetTagItem("gen_ai.usage.input_tokens") == 40 && (long?)c.GetTagItem("gen_ai.usage.output_tokens") == 2);

        var tools = spans.Where(a => (string?)a.GetTagItem("gen_ai.operation.name") == "execute_tool").ToDictionary(a => (string)a.GetTagItem("gen_ai.tool.call.id")!);
        Assert.Equal("test_add", tools["call_1"].GetTagItem("gen_ai.tool.name"));
        Assert.Equal(ActivityStatusCode.Unset, tools["call_1"].Status);
        Assert.Equal(ActivityStatusCode.Error, tools["call_2"].Status);
        Assert.All(tools.Values, t => Assert.Equal(root.SpanId, t.ParentSpanId));
    }
}
