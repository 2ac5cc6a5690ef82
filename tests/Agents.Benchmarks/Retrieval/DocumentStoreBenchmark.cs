using System.Diagnostics;
using System.Globalization;
using Agents.Retrieval;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Agents.Benchmarks.Retrieval;

/// <summary>
/// <c>--document-store [--chunks N] [--dim D]</c>: the store-level goals of the retrieval issue on a synthetic
/// store (default 100,000 passages × 384 dimensions): ingest write rate with embeddings precomputed (goal ≥ 20k
/// passages/s), then the keyword index's bulk catch-up, opening the store and running the first query in a fresh
/// process (goal &lt; 1 s), and hybrid / vector / keyword query latency percentiles (hybrid p50 goal &lt; 20 ms). Queries are embedded by a generator that returns a
/// precomputed vector, so model time is not counted.
/// </summary>
internal static class DocumentStoreBenchmark
{
    private const int ChunksPerDocument = 100;
    private const int Queries = 200;

    // Zipf-like vocabulary: a few words in most passages, most words rare, as in real text.
    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, 20_000).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture))];

    private const int FreshProcessRuns = 5;
    private const double IngestGoal = 20_000;
    private const double OpenGoalMs = 1_000;
    private const string ModelId = "bench-model";

    public static async Task<int> RunAsync(int chunks, int dimensions, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("agents-store-bench-");
        try
        {
            return await RunInAsync(Path.Combine(folder.FullName, "bench.db"), chunks, dimensions, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>--document-store-open PATH --dim D</c>, run by <see cref="RunAsync"/> in a child process: opens the store and
    /// runs one hybrid query, and prints the milliseconds that took (nothing of this process was compiled before).
    /// </summary>
    public static async Task<int> OpenAndQueryAsync(string path, int dimensions, TextWriter output, CancellationToken cancellationToken)
    {
        var generator = new FixedEmbeddingGenerator(RandomUnitVector(new Random(7), dimensions), ModelId);
        var (open, query) = await TimeOpenAndFirstQueryAsync(path, generator, "w1 w20 w300", cancellationToken).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{open:0.0} {query:0.0}"));
        return 0;
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

        var generator = new FixedEmbeddingGenerator(RandomUnitVector(random, dimensions), ModelId);
        var written = documents * ChunksPerDocument;
        TimeSpan writing, indexing, writingCpu, indexingCpu;
        using (var store = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator, CreateIfMissing = true }, cancellationToken).ConfigureAwait(false))
        {
            // What an ingest does once its passages are embedded: each document in its own transaction, then the
            // keyword index in bulk (DocumentIngestor runs UpdateFullTextIndexAsync at its end).
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            foreach (var (document, passages) in batches)
            {
                await store.WriteDocumentAsync(document, passages, cancellationToken).ConfigureAwait(false);
            }

            writing = watch.Elapsed;
            process.Refresh();
            writingCpu = process.TotalProcessorTime - cpu;
            cpu = process.TotalProcessorTime;
            watch.Restart();
            var indexed = await store.UpdateFullTextIndexAsync(cancellationToken).ConfigureAwait(false);
            indexing = watch.Elapsed;
            process.Refresh();
            indexingCpu = process.TotalProcessorTime - cpu;
            if (indexed != written)
            {
                throw new InvalidOperationException($"The keyword index took {indexed} passages of {written}; the benchmark store is broken.");
            }
        }

        batches.Clear();
        var writeRate = written / writing.TotalSeconds;
        // CPU time too: on a shared machine it leaves out the time other processes held the cores.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingest write path          {writing.TotalSeconds,8:0.00} s   {writeRate,10:N0} passages/s   goal ≥ 20,000/s: {writeRate / IngestGoal:0.00}× {Verdict(writeRate >= IngestGoal)}   ({written / writingCpu.TotalSeconds:N0} per CPU-second)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keyword index catch-up     {indexing.TotalSeconds,8:0.00} s   {written / indexing.TotalSeconds,10:N0} passages/s   ({written / indexingCpu.TotalSeconds:N0} per CPU-second)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"write + index              {(writing + indexing).TotalSeconds,8:0.00} s   {written / (writing + indexing).TotalSeconds,10:N0} passages/s   (searchable by keyword)"));
        SqliteConnection.ClearAllPools();

        // Each in a fresh process: nothing compiled, no pooled connection, vectors loaded from the file.
        var fresh = new List<(double Open, double Query)>(FreshProcessRuns);
        for (var run = 0; run < FreshProcessRuns; run++)
        {
            fresh.Add(await RunFreshProcessAsync(path, dimensions, cancellationToken).ConfigureAwait(false));
        }

        var totals = fresh.Select(f => f.Open + f.Query).Order().ToList();
        var median = totals[totals.Count / 2];
        var medianOpen = fresh.Select(f => f.Open).Order().ElementAt(fresh.Count / 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"open + first hybrid query  {median,8:0} ms  median of {FreshProcessRuns} fresh processes ({totals[0]:0}–{totals[^1]:0} ms; open alone {medianOpen:0} ms)   goal < 1,000 ms: {median / OpenGoalMs:0.00}× {Verdict(median < OpenGoalMs)}"));

        // The same in this process, whose code is compiled by now, as in a long-running host.
        var warm = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var (open, query) = await TimeOpenAndFirstQueryAsync(path, generator, $"w{run} w3{run} w40{run}", cancellationToken).ConfigureAwait(false);
            warm.Add(open + query);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open + first query, warm   {warm.Order().ElementAt(1),8:0} ms  median of 3 store objects in this process"));

        using (var store = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator }, cancellationToken).ConfigureAwait(false))
        {
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
                var goal = mode == DocumentSearchMode.Hybrid ? $"   goal p50 < 20 ms: {p50 / 20:0.00}× {Verdict(p50 < 20)}" : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode.ToString().ToLowerInvariant(),-8} query top-10     p50 {p50,6:0.0} ms   p95 {p95,6:0.0} ms{goal}"));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file size {new FileInfo(path).Length / 1048576.0:0} MB"));
        return 0;
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    private static async Task<(double OpenMs, double QueryMs)> TimeOpenAndFirstQueryAsync(string path, IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var store = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { EmbeddingGenerator = generator }, cancellationToken).ConfigureAwait(false);
        var open = watch.Elapsed.TotalMilliseconds;
        var first = await store.SearchAsync(query, 10, DocumentSearchMode.Hybrid, cancellationToken).ConfigureAwait(false);
        var total = watch.Elapsed.TotalMilliseconds;
        if (first.Count == 0)
        {
            throw new InvalidOperationException("The first query found nothing; the benchmark store is broken.");
        }

        return (open, total - open);
    }

    private static async Task<(double Open, double Query)> RunFreshProcessAsync(string path, int dimensions, CancellationToken cancellationToken)
    {
        // Run as this same program: the apphost when there is one, else 'dotnet' with this assembly.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(DocumentStoreBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { "--document-store-open", path, "--dim", dimensions.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmark's child process.");
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = (await stdout.ConfigureAwait(false)).Trim();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The open-and-query child process failed ({child.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }

        var parts = text.Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
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
