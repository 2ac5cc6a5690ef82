using System.CommandLine;
using Agents.Playground.Hosting;

namespace Agents.Playground.Commands;

/// <summary>The flags every agent-running command shares (DESIGN.md, console contract); one instance per command.</summary>
internal sealed class CommonOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print one machine-readable JSON object on stdout." };

    public Option<FileInfo?> Trace { get; } = new("--trace") { Description = "Record every step to this JSONL file.", HelpName = "FILE.jsonl" };

    public Option<string?> Model { get; } = new("--model") { Description = "Hosted model id (overrides the recipe; default AGENTS_MODEL).", HelpName = "SPEC" };

    public Option<string?> Endpoint { get; } = new("--endpoint") { Description = "Base URL of an OpenAI-compatible server (default AGENTS_ENDPOINT or OPENAI_BASE_URL).", HelpName = "URL" };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key for the server (default AGENTS_API_KEY or OPENAI_API_KEY).", HelpName = "KEY" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Show details of failures, including stack traces." };

    public void AddTo(Command command, bool json = true)
    {
        if (json)
        {
            command.Add(Json);
        }

        command.Add(Trace);
        command.Add(Model);
        command.Add(Endpoint);
        command.Add(ApiKey);
        command.Add(Verbose);
    }

    public ModelFlags ReadModelFlags(ParseResult result) =>
        new(result.GetValue(Model), result.GetValue(Endpoint), result.GetValue(ApiKey));
}
