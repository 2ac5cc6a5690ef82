using Agents.Steps;
using Spectre.Console;

namespace Agents.Playground.Rendering;

/// <summary>
/// Shows steps on standard error as they happen: tool calls, their results and errors; model calls
/// and the run's totals too when verbose (kept out by default so a failure reads as one sentence).
/// </summary>
internal sealed class LiveSteps(IAnsiConsole console, bool verbose)
{
    public void Show(AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        switch (step)
        {
            case ModelCallStep call when verbose:
                console.MarkupLine($"[grey]· {Markup.Escape(call.Model)}: {StepText.Tokens(call.InputTokens, call.OutputTokens)}, {StepText.Duration(call.Elapsed)}[/]");
                break;
            case ToolCallStep call:
                console.MarkupLine($"[blue]→ {Markup.Escape(call.Tool)}[/] {Markup.Escape(StepText.Arguments(call.Arguments))}");
                break;
            case ToolResultStep result:
                var status = result.Ok ? "[green]ok[/]" : "[red]failed[/]";
                console.MarkupLine($"[blue]← {Markup.Escape(result.Tool)}[/] {status} ({StepText.Duration(result.Elapsed)}): {Markup.Escape(StepText.Inline(result.Result))}");
                break;
            case RetrievalStep retrieval:
                console.MarkupLine($"[blue]⌕ retrieved[/] {retrieval.Hits.Count} for {Markup.Escape(StepText.Inline(retrieval.Query))}: {Markup.Escape(StepText.Hits(retrieval.Hits))}");
                break;
            case ErrorStep error:
                console.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
                break;
            case RunEndStep end when verbose:
                console.MarkupLine($"[grey]done in {StepText.Duration(end.Elapsed)}, {StepText.Tokens(end.Usage.InputTokens, end.Usage.OutputTokens)}[/]");
                break;
        }
    }
}
