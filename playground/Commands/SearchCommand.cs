using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Playground.Hosting;
using Agents.Retrieval;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents search DB QUERY [--top K] [--mode hybrid|vector|keyword]</c>: ranked passages with their sources, best
/// first; with --json, <c>{"hits": [{"id", "source", "position", "score", "text"}]}</c> (DESIGN.md).
/// </summary>
internal static class SearchCommand
{
    private const int PreviewCharacters = 240;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal)
    {
        var database = new Argument<FileInfo>("database") { Description = "The document store made by 'agents ingest'.", HelpName = "DB" };
        var query = new Argument<string>("query") { Description = "What to look for.", HelpName = "QUERY" };
        var top = new Option<int>("--top", "-k") { Description = "How many passages to show (1-100).", DefaultValueFactory = _ => 5, HelpName = "K" };
        top.Validators.Add(value =>
        {
            if (value.GetValueOrDefault<int>() is < 1 or > 100)
            {
                value.AddError($"--top {value.GetValueOrDefault<int>()} is out of range; use 1 to 100");
            }
        });
        var mode = ModeOption();
        var embedding = IngestCommand.EmbeddingModelOption("The embedding model for vector and hybrid search; default: the one the store was built with.");
        var common = new CommonOptions();
        var command = new Command("search", "Search a document store: hybrid (vector + keyword), vector, or keyword ranking.")
        {
            database, query, top, mode, embedding, common.Json, common.Endpoint, common.ApiKey, common.Verbose,
        };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(common.Verbose), async () =>
        {
            var path = result.GetValue(database)!;
            var searchMode = Enum.Parse<DocumentSearchMode>(result.GetValue(mode)!, ignoreCase: true);
            var flags = new EmbeddingFlags(result.GetValue(embedding), result.GetValue(common.Endpoint), result.GetValue(common.ApiKey))
            {
                WithoutServer = "search with --mode keyword",
            };
            using var opened = await OpenedDocumentStore.OpenAsync(path.FullName, flags, searchMode != DocumentSearchMode.Keyword, create: false, searchMode, cancellationToken).ConfigureAwait(false);
            var store = opened.Store;
            IReadOnlyList<Agents.Grounding.RetrievedPassage> hits;
            try
            {
                hits = await store.SearchAsync(result.GetValue(query)!, result.GetValue(top), searchMode, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                // An empty or oversized query is a wrong argument, like any other.
                throw new UsageException(ex.Message);
            }

            if (result.GetValue(common.Json))
            {
                var json = new JsonObject
                {
                    ["hits"] = new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
                    {
                        ["id"] = h.Id,
                        ["source"] = h.Source,
                        ["position"] = h.Position,
                        ["score"] = h.Score,
                        ["text"] = h.Text,
                    })]),
                };
                terminal.Output.WriteLine(json.ToJsonString(JsonOptions));
                return ExitCodes.Success;
            }

            if (hits.Count == 0)
            {
                terminal.Output.WriteLine("No passages match.");
            }

            for (var i = 0; i < hits.Count; i++)
            {
                var hit = hits[i];
                terminal.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}. [{hit.Id}] {hit.Position} · score {hit.Score:0.####}"));
                terminal.Output.WriteLine("   " + Preview(hit.Text));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Option<string> ModeOption()
    {
        var mode = new Option<string>("--mode") { Description = "hybrid (default), vector, or keyword (needs no embedding model).", DefaultValueFactory = _ => "hybrid", HelpName = "hybrid|vector|keyword" };
        mode.Validators.Add(value =>
        {
            if (value.GetValueOrDefault<string>() is not ("hybrid" or "vector" or "keyword"))
            {
                value.AddError($"--mode '{value.GetValueOrDefault<string>()}' is unknown; use hybrid, vector or keyword");
            }
        });
        return mode;
    }

    private static string Preview(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= PreviewCharacters ? line : line[..PreviewCharacters].TrimEnd() + " …";
    }
}
