using System.Diagnostics;
using Agents.Retrieval.Vectors;
using Agents.Testing.Vectors;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// The vector-search benchmark's data: clustered unit vectors (1,000 centroids, cosine with the centroid near 0.8,
/// like embeddings of chunks on many topics), the int8 index over them, and queries drawn the same way.
/// </summary>
internal sealed class VectorSearchWorkload : IDisposable
{
    public const int Top = 10;
    public const int Clusters = 1_000;

    public VectorSearchWorkload(int rows, int dimensions, int queries)
    {
        var vectors = new ClusteredVectors(dimensions, Clusters, spread: 0.75f, seed: 1);
        Matrix = new VectorMatrix(dimensions, rows);
        var row = new float[dimensions];
        for (var i = 0; i < rows; i++)
        {
            vectors.Next(row);
            Matrix.Add(row);
        }

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        Index = QuantizedVectorIndex.Build(Matrix);
        QuantizeTime = Stopwatch.GetElapsedTime(started);
        QuantizeCpuTime = Environment.CpuUsage.TotalTime - cpuBefore;
        Queries = Enumerable.Range(0, queries).Select(_ => vectors.Next()).ToArray();
    }

    public VectorMatrix Matrix { get; }

    public QuantizedVectorIndex Index { get; }

    public float[][] Queries { get; }

    public TimeSpan QuantizeTime { get; }

    public TimeSpan QuantizeCpuTime { get; }

    public long FloatBytes => (long)Matrix.Count * Matrix.Stride * sizeof(float);

    public void Dispose()
    {
        Index.Dispose();
        Matrix.Dispose();
    }
}
