using System.CommandLine;
using Agents.Playground.Commands;

namespace Agents.Playground;

/// <summary>The <c>agents</c> command line: parses, reports usage errors in one sentence, runs a command.</summary>
internal static class AgentsCli
{
    public static async Task<int> InvokeAsync(string[] args, Terminal terminal)
    {
        var root = new RootCommand("Agents playground: run agents from recipes, chat with them, replay their traces, and run their tools (js, sql, fetch, extract) directly, and build and search document stores (ingest, search).")
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
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult.Command;
            var help = command == root ? "agents --help" : $"agents {command.Name} --help";
            terminal.Error.WriteLine($"{parsed.Errors[0].Message.TrimEnd('.')}; see '{help}'.");
            return ExitCodes.Usage;
        }

        // Commands report their own failures in one sentence; the default handler would print stack traces.
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }
}
