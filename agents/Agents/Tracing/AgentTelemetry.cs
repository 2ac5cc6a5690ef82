using System.Diagnostics;

namespace Agents.Tracing;

/// <summary>
/// OpenTelemetry spans for agent runs, named by the GenAI semantic conventions
/// (<c>invoke_agent</c>, <c>chat</c>, <c>execute_tool</c>, <c>gen_ai.*</c> tags). Listen with
/// <c>AddSource(AgentTelemetry.SourceName)</c>; nothing is recorded while no one listens.
/// </summary>
public static class AgentTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name: the core assembly's name.</summary>
    public const string SourceName = "Agents";

    internal static readonly ActivitySource Source = new(SourceName, typeof(AgentTelemetry).Assembly.GetName().Version?.ToString());

    internal static Activity? StartInvokeAgent(string agentName)
    {
        var activity = Source.StartActivity($"invoke_agent {agentName}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "invoke_agent");
        activity?.SetTag("gen_ai.agent.name", agentName);
        return activity;
    }

    internal static Activity? StartChat(string? model)
    {
        var activity = Source.StartActivity(model is null ? "chat" : $"chat {model}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", model);
        return activity;
    }

    internal static void RecordUsage(Activity? activity, string? responseModel, long inputTokens, long outputTokens)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", responseModel);
        activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
    }

    internal static Activity? StartExecuteTool(string toolName, string callId)
    {
        var activity = Source.StartActivity($"execute_tool {toolName}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", toolName);
        activity?.SetTag("gen_ai.tool.call.id", callId);
        return activity;
    }

    internal static void RecordError(Activity? activity, string message)
    {
        activity?.SetStatus(ActivityStatusCode.Error, message);
        activity?.SetTag("error.type", "agent_error");
    }
}
