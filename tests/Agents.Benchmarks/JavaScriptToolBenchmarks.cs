using Agents.Tools.JavaScript;
using BenchmarkDotNet.Attributes;

namespace Agents.Benchmarks;

/// <summary>
/// A cold <c>run_javascript</c> call: a fresh engine with every sandbox limit and the prelude, a tiny
/// script, its result rendered. This is the fixed cost each tool call pays before any real work.
/// </summary>
[MemoryDiagnoser]
public class JavaScriptToolBenchmarks
{
    private readonly JavaScriptTool _tool = new();

    [GlobalSetup]
    public void Setup()
    {
        var text = _tool.RunJavaScriptAsync("1 + 1").GetAwaiter().GetResult();
        if (text != "2")
        {
            throw new InvalidOperationException($"run_javascript answered '{text}' to 1 + 1.");
        }
    }

    [Benchmark(Description = "run_javascript cold call (new engine, 1 + 1)")]
    public Task<string> ColdCall() => _tool.RunJavaScriptAsync("1 + 1");
}
