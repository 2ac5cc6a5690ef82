using Agents.Benchmarks.Rounds;
using BenchmarkDotNet.Attributes;

namespace Agents.Benchmarks;

/// <summary>
/// One tool round (model asks for a tool → tool runs → final answer) over an in-process replay of
/// the OpenAI API, per framework. Semantic Kernel is the baseline our loop is held to.
/// </summary>
[MemoryDiagnoser]
public class ToolRoundBenchmarks
{
    private ToolRoundSet _rounds = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rounds = new ToolRoundSet();
        _rounds.VerifyAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _rounds.Dispose();

    [Benchmark(Description = "raw HttpClient replay")]
    public Task<string?> RawHttpClient() => _rounds.RawHttp.RunAsync();

    [Benchmark(Baseline = true, Description = "Semantic Kernel auto function calling")]
    public Task<string?> SemanticKernel() => _rounds.SemanticKernel.RunAsync();

    [Benchmark(Description = "M.E.AI UseFunctionInvocation")]
    public Task<string?> ExtensionsAI() => _rounds.ExtensionsAI.RunAsync();

    [Benchmark(Description = "Agents Agent.RunAsync, steps + tracing")]
    public Task<string?> Agent() => _rounds.Agent.RunAsync();

    [Benchmark(Description = "Agents Agent.RunAsync, steps + tracing + JSONL trace")]
    public Task<string?> AgentWithJsonlTrace() => _rounds.AgentWithJsonlTrace.RunAsync();
}
