using System.CommandLine;
using System.Text.Json;
using Agents.Tools.JavaScript;

namespace Agents.Playground.Commands;

/// <summary><c>agents js CODE</c>: runs one script in the <c>run_javascript</c> sandbox, under the same limits the model gets.</summary>
internal static class JsCommand
{
    public static Command Create(Terminal terminal)
    {
        var code = new Argument<string>("code") { Description = "The JavaScript to run; the value of its last expression is printed.", HelpName = "CODE" };
        var timeout = new Option<int?>("--timeout-ms") { Description = "Stop the script after this many milliseconds (default 2000).", HelpName = "MS" };
        var json = new Option<bool>("--json") { Description = "Print {\"output\": ..., \"result\": ...} on stdout." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
        var command = new Command("js", "Run one JavaScript snippet in the sandbox and print its output and last value.") { code, timeout, json, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), async () =>
        {
            var options = new JavaScriptToolOptions();
            if (result.GetValue(timeout) is { } milliseconds)
            {
                if (milliseconds <= 0)
                {
                    throw new UsageException($"--timeout-ms must be a positive number of milliseconds, not {milliseconds}.");
                }

                options.Timeout = TimeSpan.FromMilliseconds(milliseconds);
            }

            var tool = new JavaScriptTool(options);
            if (result.GetValue(json))
            {
                var run = await tool.ExecuteAsync(result.GetValue(code)!, cancellationToken).ConfigureAwait(false);
                terminal.Output.WriteLine(JsonSerializer.Serialize(new JsonOutput(run.Output, run.Result, run.Truncated), JsonOutput.SerializerOptions));
                return ExitCodes.Success;
            }

            var text = await tool.RunJavaScriptAsync(result.GetValue(code)!, cancellationToken).ConfigureAwait(false);
            terminal.Output.WriteLine(text);
            return ExitCodes.Success;
        }));
        return command;
    }

    private sealed record JsonOutput(string Output, string? Result, bool Truncated)
    {
        public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);
    }
}
