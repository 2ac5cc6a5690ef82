using System.Text.Json.Serialization;

namespace Agents.Steps;

/// <summary>A run ended (with an answer or an error), with its wall time and total token usage.</summary>
public sealed record RunEndStep(
    [property: JsonPropertyName("ms"), JsonConverter(typeof(MillisecondsJsonConverter))] TimeSpan Elapsed,
    TokenUsage Usage) : AgentStep;
