using System.CommandLine;
using System.CommandLine.Parsing;
using Agents.Playground.Commands;

namespace Agents.Playground;

/// <summary>The <c>agents</c> command line: parses, reports usage errors in one sentence, runs a command.</summary>
internal static class AgentsCli
{
    public static async Task<int> InvokeAsync(string[] args, Terminal terminal)
    {
        var root = new RootCommand("Agents playground: run agents from recipes, chat with them, replay their traces, and run their tools (js, sql, fetch, extract) directly, build and search document stores (ingest, search), and download and inspect local models (model).")
        {
            RunCommand.Create(terminal),
            ChatCommand.Create(terminal),
            TraceCommand.Create(terminal),
            JsCommand.Create(terminal),
            FetchCommand.Create(terminal),
            SqlCommand.Create(terminal),
            ExtractCommand.Create(terminal),
            IngestCommand.Create(terminal),
            SearchCommand.Create(terminal),
            ModelCommand.Create(terminal),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var help = $"{string.Join(' ', CommandPath(parsed.CommandResult))} --help";
            terminal.Error.WriteLine($"{parsed.Errors[0].Message.TrimEnd('.')}; see '{help}'.");
            return ExitCodes.Usage;
        }

        // Commands report their own failures in one sentence; the default handler would print stack traces.
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    /// <summary>"agents", "agents ingest", "agents model pull": the words that reach a (sub)command.</summary>
    private static IEnumerable<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Push(command.Command is RootCommand ? "agents" : command.Command.Name);
            }
        }

        return names;
    }
}
