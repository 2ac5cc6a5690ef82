using Agents.Retrieval.Vectors;
using BenchmarkDotNet.Attributes;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// Top-10 search over 100,000 clustered 384-dimension unit vectors (the benchmark), next to the read pass
/// that bounds any full scan. The <c>--vector-search</c> quick mode measures the same cases in seconds and prints
/// the ratios and int8 recall.
/// </summary>
public class VectorSearchBenchmarks
{
    private const int Rows = 100_000;
    private const int Dimensions = 384;

    private readonly VectorSearchOptions _oneThread = new() { MaxDegreeOfParallelism = 1 };
    private readonly QuantizedVectorSearchOptions _oneThreadQuantized = new() { MaxDegreeOfParallelism = 1 };
    private VectorSearchWorkload _workload = null!;
    private int _nextQuery;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new VectorSearchWorkload(Rows, Dimensions, queries: 16);

        // A broken search is never timed.
        var query = _workload.Queries[0];
        var exact = ExactVectorSearch.Search(_workload.Matrix, query, VectorSearchWorkload.Top, _oneThread);
        if (!exact.SequenceEqual(ExactVectorSearch.Search(_workload.Matrix, query, VectorSearchWorkload.Top))
            || _workload.Index.Search(query, VectorSearchWorkload.Top)[0] != exact[0])
        {
            throw new InvalidOperationException("Exact search on one thread, on all threads and int8 search disagree.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    [Benchmark(Baseline = true, Description = "read pass, 1 thread (bound)")]
    public float ReadPassOneThread() => MemoryBandwidthBound.ReadAll(_workload.Matrix, 1, prefetch: true);

    [Benchmark(Description = "read pass, all threads (bound)")]
    public float ReadPassAllThreads() => MemoryBandwidthBound.ReadAll(_workload.Matrix, Environment.ProcessorCount, prefetch: true);

    [Benchmark(Description = "exact float32, 1 thread")]
    public VectorMatch[] ExactOneThread() => ExactVectorSearch.Search(_workload.Matrix, NextQuery(), VectorSearchWorkload.Top, _oneThread);

    [Benchmark(Description = "exact float32, all threads")]
    public VectorMatch[] ExactAllThreads() => ExactVectorSearch.Search(_workload.Matrix, NextQuery(), VectorSearchWorkload.Top);

    [Benchmark(Description = "TensorPrimitives.Dot per row, 1 thread")]
    public VectorMatch[] PerRowDotOneThread() => PerRowDotSearch.Search(_workload.Matrix, NextQuery(), VectorSearchWorkload.Top, 1);

    [Benchmark(Description = "TensorPrimitives.Dot per row, all threads")]
    public VectorMatch[] PerRowDotAllThreads() => PerRowDotSearch.Search(_workload.Matrix, NextQuery(), VectorSearchWorkload.Top, Environment.ProcessorCount);

    [Benchmark(Description = "int8 + re-rank, 1 thread")]
    public VectorMatch[] QuantizedOneThread() => _workload.Index.Search(NextQuery(), VectorSearchWorkload.Top, _oneThreadQuantized);

    [Benchmark(Description = "int8 + re-rank, all threads")]
    public VectorMatch[] QuantizedAllThreads() => _workload.Index.Search(NextQuery(), VectorSearchWorkload.Top);

    private float[] NextQuery() => _workload.Queries[_nextQuery++ % _workload.Queries.Length];
}
