using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Onnx.Embeddings;
using Agents.Playground.Hosting;
using Agents.Retrieval;
using Agents.Retrieval.Documents;
using Agents.Retrieval.Ingest;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;
using Spectre.Console;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents ingest DB PATH...</c>: adds files and folders (.txt, .md, .html, .pdf) to a document store, with a
/// progress bar; re-running it skips unchanged files, so an interrupted ingest is finished by running it again.
/// </summary>
internal static class IngestCommand
{
    // Sources and errors are paths and sentences for people: quotes and non-ASCII names stay as written.
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal)
    {
        var database = new Argument<FileInfo>("database") { Description = "The document store (an SQLite file; created if missing).", HelpName = "DB" };
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to add.", HelpName = "PATH", Arity = ArgumentArity.OneOrMore };
        var embedding = EmbeddingModelOption("hash (offline, lexical; the default for a new store), hash:DIMENSIONS, onnx:PATH (a local sentence-embedding model folder), or a hosted model id; default: the one the store was built with.");
        var chunkTokens = new Option<int>("--chunk-tokens") { Description = "Passage size in tokens (32-8192).", DefaultValueFactory = _ => new ChunkingOptions().MaxTokens, HelpName = "N" };
        var overlapTokens = new Option<int>("--overlap-tokens") { Description = "Tokens a passage repeats from the one before (0 to half the passage size).", DefaultValueFactory = _ => new ChunkingOptions().OverlapTokens, HelpName = "N" };
        var common = new CommonOptions();
        var command = new Command("ingest", "Add files and folders to a document store for search and grounded answers.")
        {
            database, paths, embedding, chunkTokens, overlapTokens, common.Json, common.Endpoint, common.ApiKey, common.Verbose,
        };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(common.Verbose), async () =>
        {
            var (size, overlap) = (result.GetValue(chunkTokens), result.GetValue(overlapTokens));
            if (size is < 32 or > 8192 || overlap < 0 || overlap > size / 2)
            {
                throw new UsageException($"--chunk-tokens {size} / --overlap-tokens {overlap} are out of range; use a size of 32 to 8192 and an overlap of at most half of it.");
            }

            var missing = result.GetValue(paths)!.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p));
            if (missing is not null)
            {
                throw new UsageException($"'{missing}' is neither a file nor a folder; nothing was ingested.");
            }

            var path = result.GetValue(database)!.FullName;
            var flags = new EmbeddingFlags(result.GetValue(embedding), result.GetValue(common.Endpoint), result.GetValue(common.ApiKey));
            using var opened = await OpenedDocumentStore.OpenAsync(path, flags, withEmbeddings: true, create: true, DocumentSearchMode.Hybrid, cancellationToken).ConfigureAwait(false);
            var (store, generator, model) = (opened.Store, opened.Generator!, opened.Model!);
            var note = model.StartsWith(EmbeddingFlags.HashModel, StringComparison.Ordinal) ? " (offline, matches words not meaning; pass --embedding-model for semantic search)" : "";
            if (generator is OnnxEmbeddingGenerator local && size > local.MaxTokens)
            {
                // A local model reads only its first MaxTokens tokens: longer passages would be embedded by their start alone.
                (size, overlap) = (local.MaxTokens, Math.Min(overlap, local.MaxTokens / 2));
                note = string.Create(CultureInfo.InvariantCulture, $" (passages of at most {size} tokens, the model's limit)");
            }

            // Passages are measured in the embedding model's own tokens when it has a tokenizer to offer.
            var ingestOptions = new IngestOptions { Chunking = new ChunkingOptions { MaxTokens = size, OverlapTokens = overlap }, Tokenizer = generator.GetService<Tokenizer>() };
            var ingestor = new DocumentIngestor(store, generator, ingestOptions);
            terminal.Error.WriteLine($"Embedding with '{model}'{note}.");

            var summary = await IngestWithProgressAsync(terminal, ingestor, result.GetValue(paths)!, cancellationToken).ConfigureAwait(false);
            var statistics = await store.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
            Report(terminal, summary, statistics, result.GetValue(common.Json));
            foreach (var failure in summary.Failures)
            {
                terminal.Error.WriteLine(failure.Message);
            }

            return summary.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }));
        return command;
    }

    internal static Option<string?> EmbeddingModelOption(string description) =>
        new("--embedding-model") { Description = description, HelpName = "ID" };

    private static async Task<IngestSummary> IngestWithProgressAsync(Terminal terminal, DocumentIngestor ingestor, string[] paths, CancellationToken cancellationToken)
    {
        if (!terminal.Err.Profile.Out.IsTerminal)
        {
            // Redirected: one line per file, which logs read well and tests can check.
            var lines = new SynchronousProgress(p =>
            {
                if (p.Current is not null)
                {
                    terminal.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{p.FilesDone + 1}/{p.FilesTotal}] {p.Current} ({p.ChunksWritten:N0} passages so far, {p.ChunksPerSecond:N0}/s)"));
                }
            });
            return await ingestor.IngestAsync(paths, lines, cancellationToken).ConfigureAwait(false);
        }

        IngestSummary? summary = null;
        await terminal.Err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("scanning", maxValue: 1);
                var progress = new SynchronousProgress(p =>
                {
                    task.MaxValue = Math.Max(1, p.FilesTotal);
                    task.Value = p.FilesDone;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{p.FilesDone}/{p.FilesTotal} files · {p.ChunksWritten:N0} passages · {p.ChunksPerSecond:N0}/s · {p.Current ?? "done"}"));
                });
                summary = await ingestor.IngestAsync(paths, progress, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return summary!;
    }

    private static void Report(Terminal terminal, IngestSummary summary, DocumentStoreStatistics statistics, bool json)
    {
        if (json)
        {
            var report = new JsonObject
            {
                ["files"] = summary.Files,
                ["added"] = summary.Added,
                ["updated"] = summary.Updated,
                ["unchanged"] = summary.Unchanged,
                ["failed"] = new JsonArray([.. summary.Failures.Select(f => (JsonNode)new JsonObject { ["source"] = f.Source, ["error"] = f.Message })]),
                ["passages"] = summary.Chunks,
                ["seconds"] = Math.Round(summary.Elapsed.TotalSeconds, 3),
                ["store"] = new JsonObject
                {
                    ["documents"] = statistics.Documents,
                    ["passages"] = statistics.Chunks,
                    ["embeddingModel"] = statistics.EmbeddingModel,
                    ["dimensions"] = statistics.Dimensions,
                },
            };
            terminal.Output.WriteLine(report.ToJsonString(JsonOptions));
            return;
        }

        var rate = summary.Elapsed > TimeSpan.Zero ? summary.Chunks / summary.Elapsed.TotalSeconds : 0;
        terminal.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.Files} files: {summary.Added} added, {summary.Updated} updated, {summary.Unchanged} unchanged, {summary.Failures.Count} failed; {summary.Chunks:N0} passages in {summary.Elapsed.TotalSeconds:0.0} s ({rate:N0}/s). The store holds {statistics.Documents:N0} documents, {statistics.Chunks:N0} passages."));
    }

    /// <summary>
    /// Reports on the ingest's own thread: <see cref="Progress{T}"/> posts to the thread pool when there is no
    /// synchronization context, which would let the last lines print after the summary.
    /// </summary>
    private sealed class SynchronousProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
