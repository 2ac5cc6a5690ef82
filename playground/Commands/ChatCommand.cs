using System.CommandLine;
using Agents.Memory;
using Agents.Playground.Hosting;
using Agents.Playground.Rendering;
using Agents.Steps;
using Agents.Tracing;
using Spectre.Console;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents chat [RECIPE.yaml]</c>: an interactive session. Answers stream to stdout token by token,
/// tool activity to stderr; <c>/reset</c> forgets the conversation, <c>/trace</c> shows this session's
/// step tree, <c>/exit</c> (or end of input) leaves.
/// </summary>
internal static class ChatCommand
{
    public static Command Create(Terminal terminal)
    {
        var recipe = RecipeArgument.Create();
        var sessionId = new Option<string?>("--session") { Description = "Conversation to continue when the recipe sets memory.store (default: the agent's name).", HelpName = "ID" };
        var common = new CommonOptions();
        var command = new Command("chat", "Chat with an agent: streaming answers, /reset, /trace, /exit.") { recipe, sessionId };
        common.AddTo(command, json: false);

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(common.Verbose), async () =>
        {
            var loaded = await RecipeSource.LoadAsync(result.GetValue(recipe), common.ReadModelFlags(result), cancellationToken).ConfigureAwait(false);
            using var recipeAgent = await RecipeAgentFactory.CreateAsync(loaded, cancellationToken).ConfigureAwait(false);
            var agent = recipeAgent.Agent;
            await using var trace = result.GetValue(common.Trace) is { } path ? JsonlTraceWriter.Create(path.FullName) : null;
            await using var store = loaded.Memory.Store is { } storePath ? await OpenStoreAsync(storePath, cancellationToken).ConfigureAwait(false) : null;
            var session = store is null
                ? AgentSession.InMemory()
                : await AgentSession.OpenAsync(store, result.GetValue(sessionId) ?? agent.Name, cancellationToken).ConfigureAwait(false);
            return await new ChatLoop(terminal, agent, session, trace, result.GetValue(common.Verbose)).RunAsync(cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<SqliteSessionStore> OpenStoreAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return await SqliteSessionStore.OpenAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new IOException($"Cannot open the session store '{path}' ({ex.Message.TrimEnd('.')}); check memory.store in the recipe", ex);
        }
    }

    private sealed class ChatLoop(Terminal terminal, Agent agent, AgentSession session, JsonlTraceWriter? trace, bool verbose)
    {
        private readonly LiveSteps _live = new(terminal.Err, verbose);
        private readonly List<TracedStep> _steps = [];
        private bool _anyFailed;

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            if (terminal.IsInteractive)
            {
                terminal.Err.MarkupLine($"[grey]Chatting with {Markup.Escape(agent.Name)}. /reset forgets, /trace shows steps, /exit leaves.[/]");
            }

            while (true)
            {
                if (terminal.IsInteractive)
                {
                    terminal.Err.Markup("[bold]> [/]");
                }

                var line = await terminal.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                switch (line?.Trim())
                {
                    case null or "/exit":
                        return _anyFailed ? ExitCodes.RuntimeFailure : ExitCodes.Success;
                    case "":
                        break;
                    case "/reset":
                        await session.ResetAsync(cancellationToken).ConfigureAwait(false);
                        _steps.Clear();
                        terminal.Err.MarkupLine("[grey]Session cleared.[/]");
                        break;
                    case "/trace":
                        foreach (var tree in TraceTree.Build(_steps))
                        {
                            terminal.Out.Write(tree);
                        }

                        break;
                    case var text when text.StartsWith('/'):
                        terminal.Err.MarkupLine($"[red]Unknown command {Markup.Escape(text)}; use /reset, /trace or /exit.[/]");
                        break;
                    default:
                        await TurnAsync(line, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        private async Task TurnAsync(string input, CancellationToken cancellationToken)
        {
            var streamed = false;
            await foreach (var step in agent.RunStreamingAsync(input, session, cancellationToken).ConfigureAwait(false))
            {
                if (step is TextDeltaStep delta)
                {
                    streamed = true;
                    await terminal.Output.WriteAsync(delta.Text).ConfigureAwait(false);
                    await terminal.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                _steps.Add(TracedStep.From(_steps.Count + 1, step));
                if (trace is not null)
                {
                    await trace.WriteAsync(step, cancellationToken).ConfigureAwait(false);
                }

                switch (step)
                {
                    case AnswerStep answer:
                        // A model that does not stream still answers; end the streamed line either way.
                        await terminal.Output.WriteLineAsync(streamed ? "" : answer.Text).ConfigureAwait(false);
                        break;
                    case ErrorStep:
                        _anyFailed = true;
                        _live.Show(step);
                        break;
                    case ToolCallStep or ToolResultStep:
                        _live.Show(step);
                        break;
                }
            }
        }
    }
}
