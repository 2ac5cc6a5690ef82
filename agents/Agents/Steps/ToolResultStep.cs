using System.Text.Json.Serialization;

namespace Agents.Steps;

/// <summary>A tool finished. <see cref="Ok"/> is false when it failed; <see cref="Result"/> then holds the error the model sees.</summary>
public sealed record ToolResultStep(
    string Tool,
    string CallId,
    bool Ok,
    string Result,
    [property: JsonPropertyName("ms"), JsonConverter(typeof(MillisecondsJsonConverter))] TimeSpan Elapsed) : AgentStep;
