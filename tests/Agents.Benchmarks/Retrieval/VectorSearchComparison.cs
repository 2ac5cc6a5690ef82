using System.Diagnostics;
using System.Numerics.Tensors;
using Agents.Retrieval.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The <c>--vector-search</c> mode: exact float32 and int8 + re-rank top-10 search over clustered unit vectors, each
/// next to the memory-bandwidth bound measured in the same run on the same thread count. Rounds take turns across
/// the cases, each round starting one case further on, so drift on a shared machine hits them all alike, and every
/// timed search starts with cold caches; each case reports its best and median round by
/// <see cref="Stopwatch"/>. One-thread cases also report their best process CPU time (<see cref="Environment.CpuUsage"/>),
/// which leaves out the time other processes hold the core and so holds up better on a busy machine; with more threads
/// the kernel's account of a thread still running elsewhere lags by up to a scheduler tick, too coarse for a few
/// milliseconds.
/// </summary>
internal static class VectorSearchComparison
{
    /// <summary>Enough calls of every case for tiered compilation to have replaced each method by its optimised code.</summary>
    private const int WarmUpRounds = 40;
    private const int Rounds = 100;
    private const int RecallQueries = 100;

    /// <summary>Read before every timed search, so each starts with none of its data in cache: twice the 32 MiB L3 of a Zen 5 core complex.</summary>
    private const int EvictionFloats = 16 * 1024 * 1024;

    public static int Run(int rows, int dimensions, TextWriter output)
    {
        using var workload = new VectorSearchWorkload(rows, dimensions, RecallQueries);
        var top = VectorSearchWorkload.Top;
        // The default: every core, for a query that has the machine to itself; two at least, so there is a parallel case.
        var threads = Math.Max(2, Environment.ProcessorCount);
        var single = new VectorSearchOptions { MaxDegreeOfParallelism = 1 };
        var parallel = new VectorSearchOptions { MaxDegreeOfParallelism = threads };
        var singleQuantized = new QuantizedVectorSearchOptions { MaxDegreeOfParallelism = 1 };
        var parallelQuantized = new QuantizedVectorSearchOptions { MaxDegreeOfParallelism = threads };

        // A case whose answers are wrong is never timed.
        if (!Verify(workload, output))
        {
            return 1;
        }

        var defaultCandidates = Math.Max(QuantizedVectorIndex.MinimumDefaultRerankCandidates, QuantizedVectorIndex.DefaultRerankFactor * top);
        var recalls = new[] { top, 2 * top, defaultCandidates, 10 * top }.Distinct().Order().ToDictionary(c => c, c => Recall(workload, c));

        var cases = new List<Case>
        {
            new("read pass, 1 thread (bound)", 1, _ => MemoryBandwidthBound.ReadAll(workload.Matrix, 1, prefetch: true)),
            new($"read pass, {threads} threads (bound)", threads, _ => MemoryBandwidthBound.ReadAll(workload.Matrix, threads, prefetch: true)),
            new("exact float32, 1 thread", 1, q => ExactVectorSearch.Search(workload.Matrix, q, top, single)),
            new($"exact float32, {threads} threads", threads, q => ExactVectorSearch.Search(workload.Matrix, q, top, parallel)),
            new("TensorPrimitives.Dot per row, 1 thread", 1, q => PerRowDotSearch.Search(workload.Matrix, q, top, 1)),
            new($"TensorPrimitives.Dot per row, {threads} threads", threads, q => PerRowDotSearch.Search(workload.Matrix, q, top, threads)),
            new($"int8 + re-rank {defaultCandidates}, 1 thread", 1, q => workload.Index.Search(q, top, singleQuantized)),
            new($"int8 + re-rank {defaultCandidates}, {threads} threads", threads, q => workload.Index.Search(q, top, parallelQuantized)),
            new("  read pass without prefetch, 1 thread", 1, _ => MemoryBandwidthBound.ReadAll(workload.Matrix, 1, prefetch: false)),
        };
        foreach (var kernel in Enum.GetValues<FloatDotKernel>().Where(FloatDotProducts.IsSupported))
        {
            var options = new VectorSearchOptions { FloatKernel = kernel, MaxDegreeOfParallelism = 1 };
            cases.Add(new($"  float kernel {kernel}, 1 thread", 1, q => ExactVectorSearch.Search(workload.Matrix, q, top, options)));
        }

        foreach (var kernel in Enum.GetValues<Int8DotKernel>().Where(Int8DotProducts.IsSupported))
        {
            var options = new QuantizedVectorSearchOptions { Int8Kernel = kernel, MaxDegreeOfParallelism = 1 };
            cases.Add(new($"  int8 kernel {kernel}, 1 thread", 1, q => workload.Index.Search(q, top, options)));
        }

        // Without it, a 36.6 MiB int8 index searched right after itself is partly still in L3 and looks faster than it is.
        var eviction = new float[EvictionFloats];
        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            var query = workload.Queries[round % workload.Queries.Length];
            // Each round starts at a different case, so no case always runs first or after the same neighbour.
            foreach (var measured in cases.Skip(round % cases.Count).Concat(cases.Take(round % cases.Count)))
            {
                eviction[round % eviction.Length] += TensorPrimitives.Sum<float>(eviction);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var started = Stopwatch.GetTimestamp();
                measured.Run(query);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
                if (round >= WarmUpRounds)
                {
                    measured.Milliseconds.Add(elapsed.TotalMilliseconds);
                    measured.CpuMilliseconds.Add(cpu.TotalMilliseconds);
                }
            }
        }

        var matrixMiB = workload.FloatBytes / (1024.0 * 1024);
        output.WriteLine($"Vector search: {rows:N0} rows × {dimensions} dims ({matrixMiB:F1} MiB float32, {matrixMiB / 4:F1} MiB int8), clustered ({VectorSearchWorkload.Clusters:N0} centroids), top {top}.");
        output.WriteLine($"Best and median of {Rounds} rounds after {WarmUpRounds} warm-up, Stopwatch; int8 index built in {workload.QuantizeTime.TotalMilliseconds:F0} ms ({workload.QuantizeCpuTime.TotalMilliseconds:F0} ms CPU).");
        output.WriteLine($"{"case",-40} {"best (ms)",10} {"median (ms)",12} {"GB/s",7} {"bound/time",11} {"best CPU (ms)",14} {"by CPU",7}");
        var bounds = cases.Take(2).ToDictionary(c => c.Threads);
        foreach (var measured in cases)
        {
            var gigabytesPerSecond = workload.FloatBytes / (measured.Best * 1e6);
            var bound = bounds[measured.Threads];
            var byCpu = measured.Threads == 1 ? $"{measured.BestCpu,14:F2} {bound.BestCpu / measured.BestCpu,6:F2}×" : "";
            output.WriteLine($"{measured.Name,-40} {measured.Best,10:F2} {measured.Median,12:F2} {gigabytesPerSecond,7:F1} {bound.Best / measured.Best,10:F2}× {byCpu}");
        }

        output.WriteLine("GB/s: float32 bytes of the matrix per second, whatever the case reads; bound/time: the read pass on as many threads over this case's time, by Stopwatch and (one thread) by CPU time.");
        var exactSingle = cases[2];
        var exactParallel = cases[3];
        var quantizedSingle = cases[6];
        var quantizedParallel = cases[7];
        output.WriteLine($"Exact float32: {bounds[1].Best / exactSingle.Best:F2}× of the 1-thread bound, {bounds[threads].Best / exactParallel.Best:F2}× of the {threads}-thread bound (goal ≥ 0.8×); by CPU time {bounds[1].BestCpu / exactSingle.BestCpu:F2}× on 1 thread.");
        output.WriteLine($"int8 + re-rank: {exactSingle.Best / quantizedSingle.Best:F2}× faster than exact float32 on 1 thread, {exactParallel.Best / quantizedParallel.Best:F2}× on {threads} (goal ≥ 3×); recall@{top} {recalls[defaultCandidates]:F4} over {RecallQueries} queries (goal ≥ 0.99).");
        output.WriteLine($"recall@{top} by candidates re-ranked: {string.Join(", ", recalls.Select(pair => $"{pair.Key}{(pair.Key == defaultCandidates ? " (default)" : "")} → {pair.Value:F4}"))}.");
        return 0;
    }

    /// <summary>Checks every case's answers against exact single-thread search; prints the first mismatch.</summary>
    private static bool Verify(VectorSearchWorkload workload, TextWriter output)
    {
        var top = VectorSearchWorkload.Top;
        foreach (var query in workload.Queries)
        {
            var exact = ExactVectorSearch.Search(workload.Matrix, query, top, new VectorSearchOptions { MaxDegreeOfParallelism = 1 });
            var parallel = ExactVectorSearch.Search(workload.Matrix, query, top);
            var perRow = PerRowDotSearch.Search(workload.Matrix, query, top, Environment.ProcessorCount);
            var quantized = workload.Index.Search(query, top);
            if (!exact.SequenceEqual(parallel) || !SameScores(exact, perRow))
            {
                output.WriteLine("Exact search disagrees with itself on two threads or with TensorPrimitives.Dot; nothing timed.");
                return false;
            }

            var exactScores = exact.ToDictionary(m => m.Row, m => m.Score);
            foreach (var match in quantized)
            {
                if (exactScores.TryGetValue(match.Row, out var score) && score != match.Score)
                {
                    output.WriteLine($"Row {match.Row}: int8 + re-rank scored {match.Score}, exact search {score}; nothing timed.");
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The share of the exact top rows that int8 search with this many re-ranked candidates finds, over all queries.</summary>
    private static double Recall(VectorSearchWorkload workload, int candidates)
    {
        var top = VectorSearchWorkload.Top;
        var options = new QuantizedVectorSearchOptions { RerankCandidates = candidates };
        var found = workload.Queries.Sum(query => workload.Index.Search(query, top, options).Select(m => m.Row)
            .Intersect(ExactVectorSearch.Search(workload.Matrix, query, top).Select(m => m.Row)).Count());
        return (double)found / (workload.Queries.Length * top);
    }

    /// <summary>The same scores rank by rank, to rounding: neighbours whose scores differ in the last bits may swap places.</summary>
    private static bool SameScores(VectorMatch[] expected, VectorMatch[] actual) =>
        expected.Length == actual.Length && expected.Zip(actual).All(pair => Math.Abs(pair.First.Score - pair.Second.Score) <= 1e-5f);

    private sealed class Case(string name, int threads, Func<float[], object> run)
    {
        public string Name { get; } = name;

        public int Threads { get; } = threads;

        public Func<float[], object> Run { get; } = run;

        public List<double> Milliseconds { get; } = new(Rounds);

        public List<double> CpuMilliseconds { get; } = new(Rounds);

        public double Best => Milliseconds.Min();

        public double BestCpu => CpuMilliseconds.Min();

        public double Median => Milliseconds.Order().ElementAt(Milliseconds.Count / 2);
    }
}
