using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Agents.Onnx.Downloads;
using Agents.Onnx.Models;
using Agents.Playground.Rendering;
using Spectre.Console;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents model pull SOURCE... [--to DIR]</c>: downloads one or more file URLs, or the files of a Hugging Face
/// repository (<c>owner/name</c> with <c>--include</c> patterns), with a progress bar, resume of interrupted downloads,
/// SHA-256 checks and atomic renames (<see cref="ModelDownloader"/>). Ctrl+C keeps what arrived; pulling again resumes.
/// </summary>
internal static class ModelPullCommand
{
    private const string TokenVariable = "HF_TOKEN";

    // huggingface_hub's own variable for a mirror or a private hub.
    private const string HubVariable = "HF_ENDPOINT";

    public static Command Create(Terminal terminal)
    {
        var sources = new Argument<string[]>("source")
        {
            Description = "File URLs (http or https), or one Hugging Face repository id such as microsoft/Phi-3-mini-4k-instruct-onnx.",
            HelpName = "SOURCE",
            Arity = ArgumentArity.OneOrMore,
        };
        var to = new Option<string?>("--to") { Description = "The folder to download into (for a repository, default: the model cache's OWNER/NAME folder).", HelpName = "DIR" };
        var include = new Option<string[]>("--include")
        {
            Description = "Repository files to take: a path, a folder, or a pattern (* and ?), as huggingface-cli reads them; repeatable. Default: every file.",
            HelpName = "PATTERN",
            AllowMultipleArgumentsPerToken = true,
        };
        var revision = new Option<string>("--revision") { Description = "The repository branch, tag or commit.", DefaultValueFactory = _ => "main", HelpName = "REV" };
        var sha256 = new Option<string?>("--sha256") { Description = "The expected SHA-256 of a single file URL; the file is only put in place when it matches.", HelpName = "HEX" };
        var token = new Option<string?>("--token") { Description = $"An access token for gated or private repositories (default {TokenVariable}).", HelpName = "TOKEN" };
        var hubUrl = new Option<string?>("--hub-url") { Description = $"The Hugging Face hub or a mirror (default {HubVariable}, else https://huggingface.co).", HelpName = "URL" };
        var attempts = new Option<int>("--attempts") { Description = "How many times each file is tried, resuming each time (1-100).", DefaultValueFactory = _ => new ModelDownloadOptions().MaxAttempts, HelpName = "N" };
        attempts.Validators.Add(value =>
        {
            if (value.GetValueOrDefault<int>() is < 1 or > 100)
            {
                value.AddError($"--attempts {value.GetValueOrDefault<int>()} is out of range; use 1 to 100");
            }
        });
        var json = ModelCommand.Json("Print a summary as one JSON object: destination, files (path, bytes, sha256, verified, status), bytes received, seconds.");
        var verbose = ModelCommand.Verbose();
        var command = new Command("pull", "Download a model's files with progress, resume, SHA-256 checks and atomic renames.")
        {
            sources, to, include, revision, sha256, token, hubUrl, attempts, json, verbose,
        };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), async () =>
        {
            var hub = ReadHubUrl(result.GetValue(hubUrl) ?? Environment.GetEnvironmentVariable(HubVariable));
            var options = new ModelDownloadOptions
            {
                HubBaseUrl = hub,
                Token = result.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable),
                MaxAttempts = result.GetValue(attempts),
            };
            using var downloader = new ModelDownloader(options);
            var (files, destination) = await ResolveAsync(
                downloader, result.GetValue(sources)!, result.GetValue(include) ?? [], result.GetValue(revision)!, result.GetValue(sha256), result.GetValue(to), cancellationToken).ConfigureAwait(false);

            ModelDownloadResult pulled;
            try
            {
                pulled = await PullWithProgressAsync(terminal, downloader, files, destination, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                terminal.Error.WriteLine($"Cancelled; what arrived is kept in {Path.GetFullPath(destination)}, and the same pull resumes it.");
                return ExitCodes.RuntimeFailure;
            }

            Report(terminal, pulled, result.GetValue(json));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<(IReadOnlyList<ModelFile> Files, string Destination)> ResolveAsync(
        ModelDownloader downloader, string[] sources, string[] include, string revision, string? sha256, string? to, CancellationToken cancellationToken)
    {
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
        {
            throw new UsageException($"--sha256 '{sha256}' is not a SHA-256; give 64 hexadecimal digits.");
        }

        if (sources.All(IsFileUrl))
        {
            if (include.Length > 0)
            {
                throw new UsageException("--include selects files of a Hugging Face repository; for URLs, list each file's URL instead.");
            }

            if (sha256 is not null && sources.Length > 1)
            {
                throw new UsageException("--sha256 checks a single file; pull files with different hashes one at a time.");
            }

            var urls = sources.Select(s => ModelFile.FromUrl(new Uri(s), sha256)).ToList();
            var duplicate = urls.GroupBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new UsageException($"Two URLs end in the same file name '{duplicate.Key}'; pull them into different --to folders.");
            }

            return (urls, to ?? throw new UsageException("Give --to DIR: the folder to download the files into."));
        }

        if (sources.Length != 1 || !HuggingFaceSource.IsRepoId(sources[0]))
        {
            var bad = sources.Length == 1 ? sources[0] : sources.First(s => !IsFileUrl(s));
            throw new UsageException($"'{bad}' is neither an http(s) file URL nor a single Hugging Face repository id (owner/name); give URLs, or one repository with --include.");
        }

        if (sha256 is not null)
        {
            throw new UsageException("--sha256 checks a single file URL; a repository's files are checked against the hashes the hub lists.");
        }

        HuggingFaceSource source;
        try
        {
            source = new HuggingFaceSource(sources[0], revision, include);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var files = await downloader.ResolveAsync(source, cancellationToken).ConfigureAwait(false);
        return (files, to ?? Path.Combine([ModelCache.DefaultPath, .. source.RepoId.Split('/')]));
    }

    private static bool IsFileUrl(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    private static Uri? ReadHubUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return IsFileUrl(value) ? new Uri(value) : throw new UsageException($"--hub-url '{value}' is not an http or https URL.");
    }

    private static async Task<ModelDownloadResult> PullWithProgressAsync(
        Terminal terminal, ModelDownloader downloader, IReadOnlyList<ModelFile> files, string destination, CancellationToken cancellationToken)
    {
        if (!terminal.Err.Profile.Out.IsTerminal)
        {
            // Redirected: one line per file, which logs read well and tests can check.
            var lines = new SynchronousProgress(p =>
            {
                if (p.Stage == DownloadStage.Started)
                {
                    var size = p.FileLength is { } length ? $" ({ByteCount.Format(length)})" : "";
                    var resume = p.FileBytes > 0 ? $", {ByteCount.Format(p.FileBytes)} already on disk" : "";
                    terminal.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{p.FileNumber}/{p.FileCount}] {p.Path}{size}{resume}"));
                }
            });
            return await downloader.DownloadAsync(files, destination, lines, cancellationToken).ConfigureAwait(false);
        }

        ModelDownloadResult? result = null;
        await terminal.Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("resolving", maxValue: 1);
                var progress = new SynchronousProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalBytes ?? p.Bytes + Math.Max(0, (p.FileLength ?? 0) - p.FileBytes));
                    task.Value = p.Bytes;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"[{p.FileNumber}/{p.FileCount}] {p.Path}"));
                });
                result = await downloader.DownloadAsync(files, destination, progress, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result!;
    }

    private static void Report(Terminal terminal, ModelDownloadResult pulled, bool json)
    {
        var models = pulled.Files
            .Select(f => Path.GetDirectoryName(f.FullPath)!)
            .Distinct(StringComparer.Ordinal)
            .Where(folder => ModelFolderInfo.Detect(folder) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (json)
        {
            var report = new JsonObject
            {
                ["destination"] = pulled.Destination,
                ["files"] = new JsonArray([.. pulled.Files.Select(f => (JsonNode)new JsonObject
                {
                    ["path"] = f.Path,
                    ["bytes"] = f.Size,
                    ["sha256"] = f.Sha256,
                    ["verified"] = f.Verified,
                    ["status"] = StatusName(f.Status),
                    ["received"] = f.BytesReceived,
                })]),
                ["models"] = new JsonArray([.. models.Select(m => (JsonNode)m)]),
                ["received"] = pulled.BytesReceived,
                ["seconds"] = Math.Round(pulled.Elapsed.TotalSeconds, 3),
            };
            terminal.Output.WriteLine(report.ToJsonString(ModelCommand.JsonOptions));
            return;
        }

        var width = pulled.Files.Max(f => f.Path.Length);
        foreach (var file in pulled.Files)
        {
            var check = file.Verified ? "sha256 verified" : "no hash to check";
            terminal.Output.WriteLine($"  {file.Path.PadRight(width)}  {ByteCount.Format(file.Size),10}  {StatusName(file.Status),-15}  {check}");
        }

        terminal.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{pulled.Files.Count} files in {pulled.Destination}; {ByteCount.Format(pulled.BytesReceived)} received in {pulled.Elapsed.TotalSeconds:0.0} s."));
        foreach (var model in models)
        {
            terminal.Output.WriteLine($"Model folder: {model} (use it with --model onnx:{model}, or 'agents model info {model}').");
        }
    }

    private static string StatusName(DownloadedFileStatus status) => status switch
    {
        DownloadedFileStatus.Resumed => "resumed",
        DownloadedFileStatus.AlreadyPresent => "already present",
        _ => "downloaded",
    };

    /// <summary>Reports on the download's own thread, so every file's line prints before the summary.</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
