using System.CommandLine;
using Agents.Playground.Rendering;
using Agents.Tracing;

namespace Agents.Playground.Commands;

/// <summary><c>agents trace FILE.jsonl</c>: renders a recorded run as a step tree, without any model.</summary>
internal static class TraceCommand
{
    public static Command Create(Terminal terminal)
    {
        var file = new Argument<FileInfo>("file") { Description = "A trace written with --trace.", HelpName = "FILE.jsonl" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
        var command = new Command("trace", "Render a recorded run (JSONL trace) as a step tree.") { file, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), async () =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                throw new UsageException($"Trace file '{path.FullName}' does not exist; record one with 'agents run RECIPE --input TEXT --trace FILE.jsonl'.");
            }

            var steps = await TraceReader.ReadAsync(path.FullName, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (steps.Count == 0)
            {
                throw new UsageException($"Trace file '{path.FullName}' is empty; it holds no recorded steps.");
            }

            foreach (var tree in TraceTree.Build(steps))
            {
                terminal.Out.Write(tree);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
