using System.Globalization;
using System.Text.Json.Nodes;
using Agents.Steps;
using Agents.Tracing;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Agents.Playground.Rendering;

/// <summary>
/// Renders recorded steps as one tree per run: run → model calls → the tool calls each asked for, with
/// their results → answer or error. Step types this version does not know are shown with their fields.
/// </summary>
internal static class TraceTree
{
    public static IReadOnlyList<IRenderable> Build(IEnumerable<TracedStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return [.. SplitRuns(steps).Select(BuildRun)];
    }

    /// <summary>A trace may hold several runs (a chat session); each starts at its run.start.</summary>
    private static List<List<TracedStep>> SplitRuns(IEnumerable<TracedStep> steps)
    {
        var runs = new List<List<TracedStep>>();
        foreach (var step in steps)
        {
            if (step.Step is RunStartStep || runs.Count == 0)
            {
                runs.Add([]);
            }

            runs[^1].Add(step);
        }

        return runs;
    }

    private static Tree BuildRun(List<TracedStep> steps)
    {
        var start = steps[0].Step as RunStartStep;
        var end = steps.Select(s => s.Step).OfType<RunEndStep>().LastOrDefault();
        var run = new Tree(RunLabel(start, end));
        IHasTreeNodes parent = run;
        var toolCalls = new Dictionary<string, TreeNode>(StringComparer.Ordinal);

        foreach (var traced in steps)
        {
            switch (traced.Step)
            {
                case ModelCallStep call:
                    parent = run.AddNode($"[yellow]model[/] {Markup.Escape(call.Model)} [grey]· {StepText.Tokens(call.InputTokens, call.OutputTokens)} · {StepText.Duration(call.Elapsed)}[/]");
                    break;
                case ToolCallStep call:
                    toolCalls[call.CallId] = parent.AddNode($"[blue]tool[/] {Markup.Escape(call.Tool)} {Markup.Escape(StepText.Arguments(call.Arguments))}");
                    break;
                case ToolResultStep result:
                    var status = result.Ok ? "[green]ok[/]" : "[red]failed[/]";
                    var label = $"{status} [grey]· {StepText.Duration(result.Elapsed)}[/] {Markup.Escape(StepText.Inline(result.Result))}";
                    if (toolCalls.TryGetValue(result.CallId, out var callNode))
                    {
                        callNode.AddNode(label);
                    }
                    else
                    {
                        parent.AddNode($"[blue]tool[/] {Markup.Escape(result.Tool)} {label}");
                    }

                    break;
                case RetrievalStep retrieval:
                    var retrievalNode = parent.AddNode($"[blue]retrieval[/] {Markup.Escape(StepText.Inline(retrieval.Query))}");
                    foreach (var hit in retrieval.Hits)
                    {
                        retrievalNode.AddNode($"{Markup.Escape(hit.Id)} [grey]· {hit.Score.ToString("0.###", CultureInfo.InvariantCulture)}[/]");
                    }

                    break;
                case AnswerStep answer:
                    var answerNode = run.AddNode(new Markup($"[green]answer[/] {Markup.Escape(answer.Text)}"));
                    foreach (var citation in answer.Citations)
                    {
                        answerNode.AddNode(Markup.Escape(StepText.Citation(citation)));
                    }

                    break;
                case ErrorStep error:
                    run.AddNode($"[red]error[/] {Markup.Escape(error.Message)}");
                    break;
                case null:
                    parent.AddNode($"[purple]{Markup.Escape(traced.Type)}[/] {Markup.Escape(StepText.Inline(Fields(traced)))}");
                    break;
            }
        }

        return run;
    }

    private static string RunLabel(RunStartStep? start, RunEndStep? end)
    {
        var label = start is null ? "[bold]run[/]" : $"[bold]run {Markup.Escape(start.Agent)}[/] {Markup.Escape(StepText.Inline(start.Input))}";
        return end is null ? label : $"{label} [grey]· {StepText.Duration(end.Elapsed)} · {StepText.Tokens(end.Usage.InputTokens, end.Usage.OutputTokens)}[/]";
    }

    /// <summary>An unknown step's own fields, without the envelope every line has.</summary>
    private static string Fields(TracedStep traced)
    {
        var fields = JsonNode.Parse(traced.Json.GetRawText())!.AsObject();
        fields.Remove("seq");
        fields.Remove("ts");
        fields.Remove("type");
        return fields.ToJsonString(StepJson.Options);
    }
}
