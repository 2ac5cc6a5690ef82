using System.Diagnostics;
using Agents.Benchmarks.Rounds;

namespace Agents.Benchmarks;

/// <summary>
/// The <c>--quick</c> mode: every scenario in this one process, a fixed number of rounds after
/// warm-up; wall time by <see cref="Stopwatch"/>, CPU time of the process (GC included) by
/// <see cref="Process.TotalProcessorTime"/>, allocation by <see cref="GC.GetTotalAllocatedBytes"/>.
/// CPU time holds up better than wall time on a machine shared with other work. Seconds instead of
/// BenchmarkDotNet's minutes; good for ratios, not for publishing.
/// </summary>
internal static class QuickComparison
{
    private const int WarmUpRounds = 500;
    private const int Batches = 7;
    private const int RoundsPerBatch = 1_000;

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var rounds = new ToolRoundSet();
        await rounds.VerifyAsync(cancellationToken).ConfigureAwait(false);
        foreach (var round in rounds.All)
        {
            await MeasureAsync(round, WarmUpRounds, cancellationToken).ConfigureAwait(false);
        }

        // Batches take turns across scenarios, so drift on a shared machine hits them all alike.
        var samples = rounds.All.ToDictionary(round => round, _ => new List<Measurement>(Batches));
        for (var batch = 0; batch < Batches; batch++)
        {
            foreach (var round in rounds.All)
            {
                samples[round].Add(await MeasureAsync(round, RoundsPerBatch, cancellationToken).ConfigureAwait(false));
            }
        }

        // Checked again after measuring: a path that broke midway must not leave numbers behind.
        await rounds.VerifyAsync(cancellationToken).ConfigureAwait(false);

        var results = samples.ToDictionary(pair => pair.Key, pair => Measurement.Median(pair.Value));
        output.WriteLine($"Tool round, per round: median of {Batches} batches of {RoundsPerBatch} rounds after {WarmUpRounds} warm-up, in-process replay.");
        output.WriteLine($"{"scenario",-28} {"wall (µs)",10} {"CPU (µs)",10} {"allocated (KB)",15}");
        foreach (var round in rounds.All)
        {
            var name = round == rounds.SemanticKernel ? $"{round.Name} (baseline)" : round.Name;
            output.WriteLine($"{name,-28} {results[round].WallMicroseconds,10:F1} {results[round].CpuMicroseconds,10:F1} {results[round].Bytes / 1024,15:F1}");
        }

        var ours = results[rounds.Agent];
        WriteRatio(output, $"{rounds.Agent.Name} / {rounds.SemanticKernel.Name}", ours, results[rounds.SemanticKernel]);
        WriteRatio(output, $"{rounds.Agent.Name} / {rounds.ExtensionsAI.Name}", ours, results[rounds.ExtensionsAI]);
        WriteRatio(output, $"{rounds.AgentWithJsonlTrace.Name} / {rounds.SemanticKernel.Name}", results[rounds.AgentWithJsonlTrace], results[rounds.SemanticKernel]);
    }

    private static async Task<Measurement> MeasureAsync(ToolRound round, int count, CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await round.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Measurement(elapsed.TotalMicroseconds / count, cpu.TotalMicroseconds / count, (double)allocated / count);
    }

    private static void WriteRatio(TextWriter output, string label, Measurement ours, Measurement theirs) =>
        output.WriteLine($"{label + ":",-40} wall {ours.WallMicroseconds / theirs.WallMicroseconds:F2}×, CPU {ours.CpuMicroseconds / theirs.CpuMicroseconds:F2}×, allocated {ours.Bytes / theirs.Bytes:F2}×");

    private readonly record struct Measurement(double WallMicroseconds, double CpuMicroseconds, double Bytes)
    {
        // Each axis takes its own median: the typical batch for that axis.
        public static Measurement Median(List<Measurement> samples) => new(
            Medians.Of(samples.Select(s => s.WallMicroseconds)),
            Medians.Of(samples.Select(s => s.CpuMicroseconds)),
            Medians.Of(samples.Select(s => s.Bytes)));

    }
}
