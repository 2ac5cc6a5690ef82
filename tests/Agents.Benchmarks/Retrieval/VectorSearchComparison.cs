using System.Diagnostics;
using Agents.Retrieval.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The <c>--vector-search</c> mode: exact float32 and int8 + re-rank top-10 search over clustered unit vectors, each
/// next to the memory-bandwidth bound measured in the same run on the same thread count. Rounds take turns across
/// the cases, so drift on a shared machine hits them all alike; each case reports its best and median round by
/// <see cref="Stopwatch"/>, and its best process CPU time per thread (<see cref="Environment.CpuUsage"/>), which
/// leaves out the time other processes hold the cores and so holds up better on a busy machine.
/// </summary>
internal static class VectorSearchComparison
{
    private const int WarmUpRounds = 3;
    private const int Rounds = 100;
    private const int RecallQueries = 100;

    public static int Run(int rows, int dimensions, TextWriter output)
    {
        using var workload = new VectorSearchWorkload(rows, dimensions, RecallQueries);
        var top = VectorSearchWorkload.Top;
        var threads = Environment.ProcessorCount;
        var single = new VectorSearchOptions { MaxDegreeOfParallelism = 1 };
        var singleQuantized = new QuantizedVectorSearchOptions { MaxDegreeOfParallelism = 1 };

        // A case whose answers are wrong is never timed.
        var recall = Verify(workload, output);
        if (recall is null)
        {
            return 1;
        }

        var cases = new List<Case>
        {
            new("read pass, 1 thread (bound)", 1, _ => MemoryBandwidthBound.ReadAll(workload.Matrix, 1)),
            new($"read pass, {threads} threads (bound)", threads, _ => MemoryBandwidthBound.ReadAll(workload.Matrix, threads)),
            new("exact float32, 1 thread", 1, q => ExactVectorSearch.Search(workload.Matrix, q, top, single)),
            new($"exact float32, {threads} threads", threads, q => ExactVectorSearch.Search(workload.Matrix, q, top)),
            new("TensorPrimitives.Dot per row, 1 thread", 1, q => PerRowDotSearch.Search(workload.Matrix, q, top, 1)),
            new($"TensorPrimitives.Dot per row, {threads} threads", threads, q => PerRowDotSearch.Search(workload.Matrix, q, top, threads)),
            new($"int8 + re-rank {QuantizedVectorIndex.DefaultRerankCandidates}, 1 thread", 1, q => workload.Index.Search(q, top, singleQuantized)),
            new($"int8 + re-rank {QuantizedVectorIndex.DefaultRerankCandidates}, {threads} threads", threads, q => workload.Index.Search(q, top)),
        };
        foreach (var kernel in Enum.GetValues<FloatDotKernel>().Where(FloatDotProducts.IsSupported))
        {
            var options = new VectorSearchOptions { FloatKernel = kernel };
            cases.Add(new($"  float kernel {kernel}, {threads} threads", threads, q => ExactVectorSearch.Search(workload.Matrix, q, top, options)));
        }

        foreach (var kernel in Enum.GetValues<Int8DotKernel>().Where(Int8DotProducts.IsSupported))
        {
            var options = new QuantizedVectorSearchOptions { Int8Kernel = kernel };
            cases.Add(new($"  int8 kernel {kernel}, {threads} threads", threads, q => workload.Index.Search(q, top, options)));
        }

        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            var query = workload.Queries[round % workload.Queries.Length];
            foreach (var measured in cases)
            {
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var started = Stopwatch.GetTimestamp();
                measured.Run(query);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
                if (round >= WarmUpRounds)
                {
                    measured.Milliseconds.Add(elapsed.TotalMilliseconds);
                    measured.CpuMillisecondsPerThread.Add(cpu.TotalMilliseconds / measured.Threads);
                }
            }
        }

        var matrixMiB = workload.FloatBytes / (1024.0 * 1024);
        output.WriteLine($"Vector search: {rows:N0} rows × {dimensions} dims ({matrixMiB:F1} MiB float32, {matrixMiB / 4:F1} MiB int8), clustered ({VectorSearchWorkload.Clusters:N0} centroids), top {top}.");
        output.WriteLine($"Best and median of {Rounds} rounds after {WarmUpRounds} warm-up, Stopwatch; int8 index built in {workload.QuantizeTime.TotalMilliseconds:F0} ms ({workload.QuantizeCpuTime.TotalMilliseconds:F0} ms CPU).");
        output.WriteLine($"{"case",-44} {"best (ms)",10} {"median (ms)",12} {"GB/s",7} {"bound/time",11} {"CPU/thread (ms)",16} {"by CPU",7}");
        var bounds = cases.Take(2).ToDictionary(c => c.Threads);
        foreach (var measured in cases)
        {
            var gigabytesPerSecond = workload.FloatBytes / (measured.Best * 1e6);
            var bound = bounds[measured.Threads];
            output.WriteLine($"{measured.Name,-44} {measured.Best,10:F2} {measured.Median,12:F2} {gigabytesPerSecond,7:F1} {bound.Best / measured.Best,10:F2}× {measured.BestCpu,16:F2} {bound.BestCpu / measured.BestCpu,6:F2}×");
        }

        output.WriteLine("GB/s: float32 bytes of the matrix per second, whatever the case reads; bound/time: the read pass on as many threads, over this case's time (by CPU: the same with CPU time per thread).");
        var exactSingle = cases[2];
        var exactParallel = cases[3];
        var quantizedSingle = cases[6];
        var quantizedParallel = cases[7];
        output.WriteLine($"Exact float32: {bounds[1].Best / exactSingle.Best:F2}× of the 1-thread bound, {bounds[threads].Best / exactParallel.Best:F2}× of the {threads}-thread bound (goal ≥ 0.8×); by CPU time {bounds[1].BestCpu / exactSingle.BestCpu:F2}× and {bounds[threads].BestCpu / exactParallel.BestCpu:F2}×.");
        output.WriteLine($"int8 + re-rank: {exactSingle.Best / quantizedSingle.Best:F2}× faster than exact float32 on 1 thread, {exactParallel.Best / quantizedParallel.Best:F2}× on {threads} (goal ≥ 3×); recall@{top} {recall:F4} over {RecallQueries} queries (goal ≥ 0.99).");
        return 0;
    }

    /// <summary>Checks every case's answers against exact single-thread search; returns the int8 index's recall@k, or null after printing a mismatch.</summary>
    private static double? Verify(VectorSearchWorkload workload, TextWriter output)
    {
        var top = VectorSearchWorkload.Top;
        var found = 0;
        foreach (var query in workload.Queries)
        {
            var exact = ExactVectorSearch.Search(workload.Matrix, query, top, new VectorSearchOptions { MaxDegreeOfParallelism = 1 });
            var parallel = ExactVectorSearch.Search(workload.Matrix, query, top);
            var perRow = PerRowDotSearch.Search(workload.Matrix, query, top, Environment.ProcessorCount);
            var quantized = workload.Index.Search(query, top);
            if (!exact.SequenceEqual(parallel) || !SameScores(exact, perRow))
            {
                output.WriteLine("Exact search disagrees with itself on two threads or with TensorPrimitives.Dot; nothing timed.");
                return null;
            }

            var exactScores = exact.ToDictionary(m => m.Row, m => m.Score);
            foreach (var match in quantized)
            {
                if (exactScores.TryGetValue(match.Row, out var score))
                {
                    found++;
                    if (score != match.Score)
                    {
                        output.WriteLine($"Row {match.Row}: int8 + re-rank scored {match.Score}, exact search {score}; nothing timed.");
                        return null;
                    }
                }
            }
        }

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

        public List<double> CpuMillisecondsPerThread { get; } = new(Rounds);

        public double Best => Milliseconds.Min();

        public double BestCpu => CpuMillisecondsPerThread.Min();

        public double Median => Milliseconds.Order().ElementAt(Milliseconds.Count / 2);
    }
}
