using System.Text.Json;
using Agents.Steps;

namespace Agents.Tracing;

/// <summary>
/// One line of a trace. <see cref="Step"/> is the typed step when this version knows <see cref="Type"/>,
/// and null for types written by a newer version (e.g. <c>plan.skeleton</c>); <see cref="Json"/> always
/// holds the whole line, so such steps can still be shown.
/// </summary>
public sealed record TracedStep(long Seq, string Type, AgentStep? Step, JsonElement Json)
{
    /// <summary>Describes an in-memory step the way a trace file would record it.</summary>
    public static TracedStep From(long seq, AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var type = StepJson.TypeOf(step)
            ?? throw new ArgumentException($"{step.GetType().Name} is not recorded in traces.", nameof(step));
        return new TracedStep(seq, type, step, JsonSerializer.SerializeToElement(step, StepJson.Options));
    }
}
