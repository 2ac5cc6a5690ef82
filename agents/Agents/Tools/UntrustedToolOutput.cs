using Agents.Prompts;

namespace Agents.Tools;

/// <summary>
/// Wraps a tool's output in the delimited block the system prompt tells the model to treat as data.
/// The output cannot close the block early: any closing tag inside it is defused.
/// </summary>
internal static class UntrustedToolOutput
{
    private static readonly PromptTemplate Template = PromptTemplate.Load("agent/tool-output.md");

    public static string Wrap(string toolName, ToolOutcome outcome) => Template.Render(new Dictionary<string, string>
    {
        ["tool"] = toolName,
        ["status"] = outcome.Ok ? "ok" : "error",
        ["content"] = Defuse(outcome.Text),
    });

    private static string Defuse(string text) =>
        text.Contains("tool_output", StringComparison.OrdinalIgnoreCase)
            ? text.Replace("</tool_output", "<\\/tool_output", StringComparison.OrdinalIgnoreCase)
                  .Replace("<tool_output", "<\\tool_output", StringComparison.OrdinalIgnoreCase)
            : text;
}
