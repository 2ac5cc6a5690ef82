using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Agents.Onnx.Models;
using Agents.Playground.Rendering;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents model info DIR</c>: kind, architecture, layers, heads, hidden size, vocabulary, context length, ONNX
/// inputs and outputs, and sizes of a GenAI or sentence-embedding model folder, read without loading the weights.
/// </summary>
internal static class ModelInfoCommand
{
    public static Command Create(Terminal terminal)
    {
        var folder = new Argument<string>("folder") { Description = "A model folder (one with genai_config.json, or config.json and model.onnx).", HelpName = "DIR" };
        var json = ModelCommand.Json("Print the description as one JSON object.");
        var verbose = ModelCommand.Verbose();
        var command = new Command("info", "Describe a model folder: architecture, sizes, ONNX inputs and outputs.") { folder, json, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), () =>
        {
            var path = result.GetValue(folder)!;
            if (File.Exists(path))
            {
                throw new UsageException($"'{path}' is a file; give the folder that holds the model.");
            }

            var info = ModelFolderInfo.Read(path);
            if (result.GetValue(json))
            {
                terminal.Output.WriteLine(ToJson(info).ToJsonString(ModelCommand.JsonOptions));
            }
            else
            {
                Print(terminal.Output, info);
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static JsonObject ToJson(ModelFolderInfo info) => new()
    {
        ["path"] = info.Path,
        ["kind"] = ModelListCommand.KindName(info.Kind),
        ["type"] = info.ModelType,
        ["layers"] = info.Layers,
        ["attentionHeads"] = info.AttentionHeads,
        ["keyValueHeads"] = info.KeyValueHeads,
        ["hiddenSize"] = info.HiddenSize,
        ["vocabularySize"] = info.VocabularySize,
        ["contextLength"] = info.ContextLength,
        ["onnxFile"] = info.OnnxFile,
        ["onnxBytes"] = info.OnnxBytes,
        ["opset"] = info.OpsetVersion,
        ["producer"] = info.Producer,
        ["inputs"] = Values(info.Inputs),
        ["outputs"] = Values(info.Outputs),
        ["tokenizerFiles"] = new JsonArray([.. info.TokenizerFiles.Select(f => (JsonNode)f)]),
        ["bytes"] = info.SizeBytes,
    };

    private static JsonArray Values(IReadOnlyList<OnnxValueInfo> values) =>
        new([.. values.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["type"] = v.ElementType,
            ["shape"] = new JsonArray([.. v.Shape.Select(d => (JsonNode)d)]),
        })]);

    private static void Print(TextWriter output, ModelFolderInfo info)
    {
        static string Number(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";

        output.WriteLine($"{info.Path}");
        output.WriteLine($"  kind            {(info.Kind == ModelFolderKind.GenAI ? "genai (ONNX Runtime GenAI decoder)" : "embedding (sentence encoder)")}");
        output.WriteLine($"  type            {info.ModelType ?? "-"}");
        output.WriteLine($"  layers          {Number(info.Layers)}");
        output.WriteLine($"  heads           {Number(info.AttentionHeads)}");
        output.WriteLine($"  kv heads        {Number(info.KeyValueHeads)}");
        output.WriteLine($"  hidden size     {Number(info.HiddenSize)}");
        output.WriteLine($"  vocabulary      {Number(info.VocabularySize)}");
        output.WriteLine($"  context length  {Number(info.ContextLength)}");
        output.WriteLine($"  onnx file       {Path.GetRelativePath(info.Path, info.OnnxFile)} ({ByteCount.Format(info.OnnxBytes)}{(info.OpsetVersion is { } opset ? $", opset {opset}" : "")}{(info.Producer is { } producer ? $", by {producer}" : "")})");
        output.WriteLine($"  tokenizer       {string.Join(", ", info.TokenizerFiles)}");
        output.WriteLine($"  folder size     {ByteCount.Format(info.SizeBytes)}");
        output.WriteLine("  inputs");
        foreach (var input in info.Inputs)
        {
            output.WriteLine($"    {input}");
        }

        output.WriteLine("  outputs");
        foreach (var value in info.Outputs)
        {
            output.WriteLine($"    {value}");
        }
    }
}
