using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Playground.Hosting;
using Agents.Playground.Rendering;
using Agents.Steps;
using Agents.Tracing;

namespace Agents.Playground.Commands;

/// <summary><c>agents run [RECIPE.yaml] --input TEXT</c>: one run; steps to stderr as they happen, the answer to stdout.</summary>
internal static class RunCommand
{
    public static Command Create(Terminal terminal)
    {
        var recipe = RecipeArgument.Create();
        var input = new Option<string>("--input", "-i") { Description = "What to ask the agent.", Required = true, HelpName = "TEXT" };
        var common = new CommonOptions();
        var command = new Command("run", "Run an agent once: steps stream to stderr, the answer goes to stdout.") { recipe, input };
        common.AddTo(command);

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(common.Verbose), async () =>
        {
            var loaded = await RecipeSource.LoadAsync(result.GetValue(recipe), common.ReadModelFlags(result), cancellationToken).ConfigureAwait(false);
            using var recipeAgent = await RecipeAgentFactory.CreateAsync(loaded, cancellationToken).ConfigureAwait(false);
            var agent = recipeAgent.Agent;
            var options = new RunOutput(result.GetValue(common.Trace), result.GetValue(common.Json), result.GetValue(common.Verbose));
            return await RunAsync(terminal, agent, result.GetValue(input)!, options, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(Terminal terminal, Agent agent, string input, RunOutput output, CancellationToken cancellationToken)
    {
        var live = new LiveSteps(terminal.Err, output.Verbose);
        var steps = new List<AgentStep>();
        await using var trace = output.Trace is null ? null : JsonlTraceWriter.Create(output.Trace.FullName);

        await foreach (var step in agent.RunStreamingAsync(input, session: null, cancellationToken).ConfigureAwait(false))
        {
            if (step is TextDeltaStep)
            {
                continue;
            }

            steps.Add(step);
            if (trace is not null)
            {
                await trace.WriteAsync(step, cancellationToken).ConfigureAwait(false);
            }

            live.Show(step);
        }

        var answer = steps.OfType<AnswerStep>().LastOrDefault();
        var error = steps.OfType<ErrorStep>().LastOrDefault();
        if (output.Json)
        {
            await terminal.Output.WriteLineAsync(ResultJson(answer, error, steps)).ConfigureAwait(false);
        }
        else if (answer is not null)
        {
            await terminal.Output.WriteLineAsync(answer.Text).ConfigureAwait(false);
        }

        // The error sentence is already on stderr: the live view shows ErrorSteps as they come.
        return error is null && answer is not null ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }

    private sealed record RunOutput(FileInfo? Trace, bool Json, bool Verbose);

    /// <summary><c>{"answer","citations","steps","usage"}</c> (DESIGN.md), plus <c>"error"</c> when the run failed.</summary>
    private static string ResultJson(AnswerStep? answer, ErrorStep? error, List<AgentStep> steps)
    {
        var usage = steps.OfType<RunEndStep>().LastOrDefault()?.Usage ?? TokenUsage.Zero;
        var result = new JsonObject
        {
            ["answer"] = answer?.Text,
            ["citations"] = JsonSerializer.SerializeToNode(answer?.Citations ?? [], StepJson.Options),
            ["steps"] = JsonSerializer.SerializeToNode(steps, StepJson.Options),
            ["usage"] = JsonSerializer.SerializeToNode(usage, StepJson.Options),
        };
        if (error is not null)
        {
            result["error"] = error.Message;
        }

        return result.ToJsonString(StepJson.Options);
    }
}
