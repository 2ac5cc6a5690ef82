using Agents.Benchmarks;
using Agents.Benchmarks.Embeddings;
using Agents.Benchmarks.Extraction;
using Agents.Benchmarks.LocalChat;
using Agents.Benchmarks.Retrieval;
using BenchmarkDotNet.Running;

var evaluation = Array.IndexOf(args, "--extraction-eval");
if (evaluation >= 0)
{
    return ExtractionEvaluation.Run(args.ElementAtOrDefault(evaluation + 1), args.Contains("--details"), Console.Out);
}

var openStore = Array.IndexOf(args, "--document-store-open");
if (openStore >= 0)
{
    return await DocumentStoreBenchmark.OpenAndQueryAsync(args[openStore + 1], IntOption(args, "--dim", 384), Console.Out, CancellationToken.None);
}

if (args.Contains("--document-store"))
{
    return await DocumentStoreBenchmark.RunAsync(IntOption(args, "--chunks", 100_000), IntOption(args, "--dim", 384), Console.Out, CancellationToken.None);
}

if (args.Contains("--embeddings"))
{
    return await EmbeddingThroughput.RunAsync(ModelOption(args, "tiny-bert"), Console.Out, CancellationToken.None);
}

if (args.Contains("--local-chat"))
{
    return await LocalChatBenchmark.RunAsync(ModelOption(args, "tiny-llama"), Console.Out, CancellationToken.None);
}

if (args.Contains("--vector-search"))
{
    return VectorSearchComparison.Run(IntOption(args, "--rows", 100_000), IntOption(args, "--dim", 384), Console.Out);
}

if (args.Contains("--quick"))
{
    await QuickComparison.RunAsync(Console.Out, CancellationToken.None);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ToolRoundBenchmarks).Assembly).Run(args);
return 0;

static int IntOption(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

// --model DIR, else the named tiny model copied next to the benchmarks.
static string ModelOption(string[] args, string tinyModel)
{
    var index = Array.IndexOf(args, "--model");
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : Path.Combine(AppContext.BaseDirectory, "models", tinyModel);
}
