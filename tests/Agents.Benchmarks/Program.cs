using Agents.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Contains("--quick"))
{
    await QuickComparison.RunAsync(Console.Out, CancellationToken.None);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ToolRoundBenchmarks).Assembly).Run(args);
