using System.Diagnostics;
using System.Globalization;
using Agents.Retrieval;
using Microsoft.Extensions.AI;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// <c>--document-store [--chunks N] [--dim D]</c>: the store-level goals of the retrieval issue on a synthetic
/// store (default 100,000 passages × 384 dimensions): ingest write rate with embeddings precomputed (goal ≥ 20k
/// passages/s), opening the store and running the first query (goal &lt; 1 s), and hybrid / vector / keyword
/// query latency percentiles (hybrid p50 goal &lt; 20 ms). Queries are embedded by a generator that returns a
/// precomputed vector, so model time is not counted.
/// </summary>
internal static class DocumentStoreBenchmark
{
    private const int ChunksPerDocument = 100;
    private const int Queries = 200;

    // Zipf-like vocabulary: a few words in most passages, most words rare, as in real text.
    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, 20_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture))];

    public static async Task<int> RunAsync(int chunks, int dimensions, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("agents-store-bench-");
        try
        {
            return await RunInAsync(Path.Combine(folder.FullName, "bench.db"), chunks, dimensions, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<int> RunInAsync(string path, int chunks, int dimensions, TextWriter output, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var documents = Math.Max(1, chunks / ChunksPerDocument);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Document store: {documents * ChunksPerDocument:N0} passages × {dimensions} dimensions in {documents:N0} documents, one transaction per document."));

        // Embeddings and texts are made before the clock starts: the goal excludes embedding time.
        var batches = new List<(StoredDocument Document, List<DocumentChunk> Chunks)>(documents);
        for (var d = 0; d < documents; d++)
        {
            var source = $"doc{d}.md";
            var passages = new List<DocumentChunk>(ChunksPerDocument);
            for (var c = 0; c < ChunksPerDocument; c++)
            {
                passages.Add(new DocumentChunk
                {
                    Id = DocumentChunk.IdFor(source, c),
                    Source = source,
                    Index = c,
                    HeadingPath = "Section " + (c / 10),
                    Start = c * 1000,
                    End = (c * 1000) + 900,
                    Text = Sentence(random, 150),
                    Embedding = RandomUnitVector(random, dimensions),
                });
            }

            batches.Add((new StoredDocument(source, "h" + d, null, ChunksPerDocument, 100_000, DateTimeOffset.UnixEpoch), passages));
        }

        var query = RandomUnitVector(random, dimensions);
        var generator = new FixedEmbeddingGenerator(query, "bench-model");
        var ingest = Stopwatch.StartNew();
        using (var store = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator, CreateIfMissing = true }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (document, passages) in batches)
            {
                await store.WriteDocumentAsync(document, passages, cancellationToken).ConfigureAwait(false);
            }
        }

        ingest.Stop();
        var written = documents * ChunksPerDocument;
        var rate = written / ingest.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest (write path)        {ingest.Elapsed.TotalSeconds,8:0.00} s   {rate,10:N0} passages/s   goal ≥ 20,000/s: {(rate >= 20_000 ? "met" : "NOT met")}"));
        batches.Clear();

        // A cold open in a fresh store object: vectors are loaded from the file by the first query.
        var open = Stopwatch.StartNew();
        using (var store = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator }, cancellationToken).ConfigureAwait(false))
        {
            var first = await store.SearchAsync("w1 w20 w300", 10, DocumentSearchMode.Hybrid, cancellationToken).ConfigureAwait(false);
            open.Stop();
            if (first.Count == 0)
            {
                throw new InvalidOperationException("The first query found nothing; the benchmark store is broken.");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open + first hybrid query  {open.Elapsed.TotalMilliseconds,8:0} ms  goal < 1,000 ms: {(open.Elapsed.TotalMilliseconds < 1000 ? "met" : "NOT met")} (a fresh process: code not yet compiled)"));

            // Again in a second store object: the same work with the code already compiled, as in a long-running host.
            var reopen = Stopwatch.StartNew();
            using (var again = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator }, cancellationToken).ConfigureAwait(false))
            {
                await again.SearchAsync("w2 w30 w400", 10, DocumentSearchMode.Hybrid, cancellationToken).ConfigureAwait(false);
            }

            reopen.Stop();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open + first query, warm   {reopen.Elapsed.TotalMilliseconds,8:0} ms  (a second store object in the same process)"));

            foreach (var mode in new[] { DocumentSearchMode.Hybrid, DocumentSearchMode.Vector, DocumentSearchMode.Keyword })
            {
                var times = new List<double>(Queries);
                for (var q = 0; q < Queries + 10; q++)
                {
                    var text = Sentence(random, 4);
                    var watch = Stopwatch.StartNew();
                    await store.SearchAsync(text, 10, mode, cancellationToken).ConfigureAwait(false);
                    watch.Stop();
                    if (q >= 10)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                times.Sort();
                var p50 = times[times.Count / 2];
                var p95 = times[(int)(times.Count * 0.95)];
                var goal = mode == DocumentSearchMode.Hybrid ? $"   goal p50 < 20 ms: {(p50 < 20 ? "met" : "NOT met")}" : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode.ToString().ToLowerInvariant(),-8} query top-10     p50 {p50,6:0.0} ms   p95 {p95,6:0.0} ms{goal}"));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file size {new FileInfo(path).Length / 1048576.0:0} MB"));
        return 0;
    }

    private static string Sentence(Random random, int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            // Squaring a uniform draw skews toward frequent words.
            var u = random.NextDouble();
            parts[i] = Vocabulary[(int)(u * u * u * (Vocabulary.Length - 1))];
        }

        return string.Join(' ', parts);
    }

    private static float[] RandomUnitVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    /// <summary>Embeds every query as one precomputed vector: the benchmark measures the store, not a model.</summary>
    private sealed class FixedEmbeddingGenerator(float[] vector, string modelId) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(vector))));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fixed", null, modelId, vector.Length) : null;

        public void Dispose()
        {
        }
    }
}
