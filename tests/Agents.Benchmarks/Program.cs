using Agents.Benchmarks;
using Agents.Benchmarks.Extraction;
using BenchmarkDotNet.Running;

var evaluation = Array.IndexOf(args, "--extraction-eval");
if (evaluation >= 0)
{
    return ExtractionEvaluation.Run(args.ElementAtOrDefault(evaluation + 1), args.Contains("--details"), Console.Out);
}

if (args.Contains("--quick"))
{
    await QuickComparison.RunAsync(Console.Out, CancellationToken.None);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ToolRoundBenchmarks).Assembly).Run(args);
return 0;
