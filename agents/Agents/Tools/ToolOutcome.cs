namespace Agents.Tools;

/// <summary>What a tool call produced: its output, or the error the model is shown instead.</summary>
internal readonly record struct ToolOutcome(bool Ok, string Text)
{
    public static ToolOutcome Success(string text) => new(true, text);

    public static ToolOutcome Failure(string message) => new(false, message);
}
