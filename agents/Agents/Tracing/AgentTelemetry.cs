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
    public const string SourceName = "Agents.Core";

    internal static readonly ActivitySource Source = new(SourceName, typeof(AgentTelemetry).Assembly.GetName().Version?.ToString());

    // Span names are passed in prebuilt ("invoke_agent NAME", "chat MODEL", "execute_tool NAME") and tags
    // are set only on recorded spans, so tracing costs nothing but the span itself on the hot path.
    internal static Activity? StartInvokeAgent(string spanName, string agentName)
    {
        var activity = Source.StartActivity(spanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "invoke_agent");
            activity.SetTag("gen_ai.agent.name", agentName);
        }

        return activity;
    }

    internal static Activity? StartChat(string spanName, string? model)
    {
        var activity = Source.StartActivity(spanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.request.model", model);
        }

        return activity;
    }

    internal static void RecordUsage(Activity? activity, string? requestModel, string? responseModel, long inputTokens, long outputTokens)
    {
        if (activity is { IsAllDataRequested: true })
        {
            if (responseModel != requestModel)
            {
                // Only worth a tag when the server answered with another model (an alias resolved, a fallback).
                activity.SetTag("gen_ai.response.model", responseModel);
            }

            activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        }
    }

    internal static Activity? StartExecuteTool(string spanName, string toolName, string callId)
    {
        var activity = Source.StartActivity(spanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "execute_tool");
            activity.SetTag("gen_ai.tool.name", toolName);
            activity.SetTag("gen_ai.tool.call.id", callId);
        }

        return activity;
    }

    internal static void RecordError(Activity? activity, string message)
    {
        activity?.SetStatus(ActivityStatusCode.Error, message);
        activity?.SetTag("error.type", "agent_error");
    }
}
