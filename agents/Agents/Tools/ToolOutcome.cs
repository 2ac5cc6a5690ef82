using Agents.Grounding;

namespace Agents.Tools;

/// <summary>What a tool call produced: its output, or the error the model is shown instead.</summary>
/// <param name="Retrieval">Set when a retrieval tool ran: the passages it found.</param>
internal readonly record struct ToolOutcome(bool Ok, string Text, RetrievalResult? Retrieval = null)
{
    public static ToolOutcome Success(string text) => new(true, text);

    public static ToolOutcome Failure(string message) => new(false, message);
}
