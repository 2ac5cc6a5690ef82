using System.Text.Json.Serialization;

namespace Agents.Steps;

/// <summary>One completed call to the model, with its token usage and latency.</summary>
public sealed record ModelCallStep(
    string Model,
    long InputTokens,
    long OutputTokens,
    [property: JsonPropertyName("ms"), JsonConverter(typeof(MillisecondsJsonConverter))] TimeSpan Elapsed) : AgentStep;
