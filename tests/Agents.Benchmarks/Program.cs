using System.Globalization;
using Agents.Benchmarks;
using Agents.Benchmarks.Extraction;
using Agents.Benchmarks.Retrieval;
using BenchmarkDotNet.Running;

var evaluation = Array.IndexOf(args, "--extraction-eval");
if (evaluation >= 0)
{
    return ExtractionEvaluation.Run(args.ElementAtOrDefault(evaluation + 1), args.Contains("--details"), Console.Out);
}

if (args.Contains("--vector-search"))
{
    var rows = Array.IndexOf(args, "--rows");
    var dimensions = Array.IndexOf(args, "--dim");
    return VectorSearchComparison.Run(
        rows >= 0 ? int.Parse(args[rows + 1], CultureInfo.InvariantCulture) : 100_000,
        dimensions >= 0 ? int.Parse(args[dimensions + 1], CultureInfo.InvariantCulture) : 384,
        Console.Out);
}

if (args.Contains("--quick"))
{
    await QuickComparison.RunAsync(Console.Out, CancellationToken.None);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ToolRoundBenchmarks).Assembly).Run(args);
return 0;
