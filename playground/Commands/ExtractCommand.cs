using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Tools.Web.Extraction;

namespace Agents.Playground.Commands;

/// <summary><c>agents extract FILE.html...</c>: the main content of saved pages as Markdown, plain text, or a JSON object of path → text.</summary>
internal static class ExtractCommand
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        // Page text is full of quotes, apostrophes and non-ASCII letters; keep them readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(Terminal terminal)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Saved HTML pages.", HelpName = "FILE.html", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "markdown (default) or text.", DefaultValueFactory = _ => "markdown", HelpName = "markdown|text" };
        format.Validators.Add(value =>
        {
            // One sentence, where AcceptOnlyFromAmong would list the choices over several lines.
            if (value.GetValueOrDefault<string>() is not ("markdown" or "text"))
            {
                value.AddError($"--format '{value.GetValueOrDefault<string>()}' is unknown; use markdown or text");
            }
        });
        var baseUrl = new Option<string?>("--base-url") { Description = "Where the pages came from, to make their relative links absolute.", HelpName = "URL" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of path → extracted content." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
        var command = new Command("extract", "Print the main content of saved HTML pages, without navigation, ads, cookie banners, comments and footers.")
        {
            files, format, baseUrl, json, verbose,
        };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), async () =>
        {
            var paths = result.GetValue(files)!;
            // Every file is checked before any is read, so a typo in the last one does not waste the work on the others.
            var missing = paths.FirstOrDefault(p => !p.Exists);
            if (missing is not null)
            {
                throw new UsageException($"File '{missing.FullName}' does not exist; pass saved HTML pages.");
            }

            Uri? page = null;
            if (result.GetValue(baseUrl) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out page))
            {
                throw new UsageException($"--base-url '{url}' is not an absolute URL; pass one such as https://example.com/page.");
            }

            var extractor = new MainContentExtractor();
            var markdown = result.GetValue(format) == "markdown";
            var extracted = new JsonObject();
            for (var i = 0; i < paths.Length; i++)
            {
                var html = HtmlDecoding.Decode(await ReadCappedAsync(paths[i], cancellationToken).ConfigureAwait(false));
                var content = extractor.Extract(html, page);
                var text = markdown ? content.Markdown : content.Text;
                if (result.GetValue(json))
                {
                    extracted[paths[i].ToString()] = text;
                    continue;
                }

                if (paths.Length > 1)
                {
                    // The convention of head(1): a file's name announces its part of the output.
                    await terminal.Output.WriteLineAsync($"{(i == 0 ? "" : "\n")}==> {paths[i]} <==").ConfigureAwait(false);
                }

                await terminal.Output.WriteLineAsync(text).ConfigureAwait(false);
            }

            if (result.GetValue(json))
            {
                await terminal.Output.WriteLineAsync(extracted.ToJsonString(s_json)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Reads at most what the extractor would parse (a character is at most four UTF-8 bytes), so a 2 GB file costs no more than a 20 MB one.</summary>
    private static async Task<byte[]> ReadCappedAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var cap = (int)Math.Min(file.Length, 4L * new MainContentExtractorOptions().MaxHtmlCharacters);
        var bytes = new byte[cap];
        await using var stream = file.OpenRead();
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}
