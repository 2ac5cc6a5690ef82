using Agents.Steps;

namespace Agents;

/// <summary>The outcome of a whole run: the answer or the error, and every step that led there.</summary>
public sealed record AgentRunResult(
    string? Answer,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<AgentStep> Steps,
    TokenUsage Usage,
    string? Error)
{
    public bool Succeeded => Error is null;
}
