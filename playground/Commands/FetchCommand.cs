using System.CommandLine;
using System.Text.Json.Nodes;
using Agents.Tools.Web;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents fetch URL</c>: fetches one page under the <c>web_fetch</c> tool's limits and prints its
/// main content as Markdown (or plain text). Private addresses only with <c>--allow-private</c>.
/// </summary>
internal static class FetchCommand
{
    public static Command Create(Terminal terminal)
    {
        var url = new Argument<string>("url") { Description = "The http or https URL to fetch.", HelpName = "URL" };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Also reach loopback, private and link-local addresses, which are refused by default." };
        var format = new Option<string>("--format") { Description = "Print the content as markdown (default) or text.", DefaultValueFactory = _ => "markdown" };
        // AcceptOnlyFromAmong's message spans several lines; the console contract is one sentence.
        format.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not ("markdown" or "text"))
            {
                r.AddError($"--format must be markdown or text, not '{r.GetValueOrDefault<string>()}'");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the URL mapped to its content." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
        var command = new Command("fetch", "Fetch a web page and print its main content as Markdown.") { url, allowPrivate, format, json, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), async () =>
        {
            var address = result.GetValue(url)!;
            if (!Uri.TryCreate(address.Trim(), UriKind.Absolute, out _))
            {
                throw new UsageException($"'{address}' is not an absolute URL; give one that starts with http:// or https://.");
            }

            var options = new WebFetchOptions { AllowPrivateNetworks = result.GetValue(allowPrivate) };
            using var tool = new WebFetchTool(options);
            var page = await tool.ReadAsync(address, cancellationToken).ConfigureAwait(false);

            var content = result.GetValue(format) == "text" ? page.Text : page.Markdown;
            await terminal.Output.WriteLineAsync(result.GetValue(json)
                ? new JsonObject { [address] = content }.ToJsonString()
                : content).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
