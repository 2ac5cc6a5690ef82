using System.CommandLine;
using System.Text.Json.Nodes;
using Agents.Onnx.Models;
using Agents.Playground.Rendering;

namespace Agents.Playground.Commands;

/// <summary><c>agents model list [--dir DIR]</c>: the model folders in the cache, with kind, architecture and size.</summary>
internal static class ModelListCommand
{
    public static Command Create(Terminal terminal)
    {
        var dir = new Option<string?>("--dir") { Description = $"The cache folder to list (default {ModelCache.EnvironmentVariable}, else ~/.cache/agents/models).", HelpName = "DIR" };
        var json = ModelCommand.Json("Print {\"cache\": DIR, \"models\": [{\"name\", \"path\", \"kind\", \"type\", \"bytes\", \"partialFiles\", \"problem\"}]}.");
        var verbose = ModelCommand.Verbose();
        var command = new Command("list", "List the models in the model cache with their kind, architecture and size.") { dir, json, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), () =>
        {
            var cache = Path.GetFullPath(result.GetValue(dir) ?? ModelCache.DefaultPath);
            if (File.Exists(cache))
            {
                throw new UsageException($"'{cache}' is a file; give --dir the folder models are pulled into.");
            }

            var models = ModelCache.List(cache);
            if (result.GetValue(json))
            {
                var report = new JsonObject
                {
                    ["cache"] = cache,
                    ["models"] = new JsonArray([.. models.Select(m => (JsonNode)new JsonObject
                    {
                        ["name"] = m.Name,
                        ["path"] = m.Path,
                        ["kind"] = KindName(m.Kind),
                        ["type"] = m.ModelType,
                        ["bytes"] = m.SizeBytes,
                        ["partialFiles"] = m.PartialFiles,
                        ["problem"] = m.Problem,
                    })]),
                };
                terminal.Output.WriteLine(report.ToJsonString(ModelCommand.JsonOptions));
                return Task.FromResult(ExitCodes.Success);
            }

            if (models.Count == 0)
            {
                terminal.Output.WriteLine($"No models in {cache}; add one with 'agents model pull'.");
                return Task.FromResult(ExitCodes.Success);
            }

            var width = models.Max(m => m.Name.Length);
            terminal.Output.WriteLine($"Models in {cache}:");
            foreach (var model in models)
            {
                var what = model.Kind is null ? "(incomplete)" : $"{KindName(model.Kind)} {model.ModelType ?? "?"}";
                var problem = model.Problem is null ? "" : $"  ! {model.Problem}";
                terminal.Output.WriteLine($"  {model.Name.PadRight(width)}  {what,-16}  {ByteCount.Format(model.SizeBytes),10}{problem}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    internal static string? KindName(ModelFolderKind? kind) => kind switch
    {
        ModelFolderKind.GenAI => "genai",
        ModelFolderKind.SentenceEmbedding => "embedding",
        _ => null,
    };
}
