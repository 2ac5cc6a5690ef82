using Agents.Retrieval.Embeddings;
using Agents.Retrieval.Ingest;
using Agents.Retrieval.Tests.Documents;
using Agents.Testing;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Tests.Ingest;

public sealed class DocumentIngestorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CountingEmbeddings _embeddings = new(new HashingEmbeddingGenerator());

    private string Docs => Path.Combine(_folder.Path, "docs");

    private string StorePath => Path.Combine(_folder.Path, "store.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Ingests_every_supported_format_in_a_folder_with_sources_relative_to_the_root()
    {
        Write("guide.md", "# Guide\n\n## Install\n\nRun the installer and restart the machine.\n\n## Remove\n\nDelete the folder.\n");
        Write("notes/plain.txt", "The backup runs every night at two.\n\nRestores take ten minutes.");
        Write("notes/page.html", "<html><head><title>Pricing</title></head><body><nav>Home | About</nav><article><h1>Pricing</h1><p>The basic plan costs nine euros a month and includes email support for every customer.</p></article></body></html>");
        var wiring = Enumerable.Range(1, 30).Select(i => $"Step {i} of the wiring: connect terminal {i} to the panel bus bar firmly.").ToArray();
        var cooling = Enumerable.Range(1, 30).Select(i => $"Check {i} of the cooling: the fan blade {i} must turn freely and quietly.").ToArray();
        WriteBytes("manual.pdf", TestPdf.Build(null, wiring, cooling));
        Write("image.png", "not a document");
        Write(".git/HEAD.md", "ref: refs/heads/main");
        Write(".hidden/secret.md", "# Secret\n\nnever ingested");

        using var store = await OpenStoreAsync();
        var progress = new List<IngestProgress>();
        var summary = await Ingestor(store).IngestAsync([Docs], new SyncProgress(progress.Add));

        Assert.Equal((4, 4, 0, 0), (summary.Files, summary.Added, summary.Updated, summary.Unchanged));
        Assert.Empty(summary.Failures);
        var sources = (await store.ListDocumentsAsync()).Select(d => d.Source).ToList();
        Assert.Equal(["docs/guide.md", "docs/manual.pdf", "docs/notes/page.html", "docs/notes/plain.txt"], sources);
        Assert.Equal(summary.Chunks, (await store.GetStatisticsAsync()).Chunks);

        var install = (await store.SearchAsync("installer restart", 1, DocumentSearchMode.Hybrid)).Single();
        Assert.StartsWith("docs/guide.md#", install.Id);
        Assert.Contains("Install", install.Position);
        var fan = (await store.SearchAsync("fan blade quietly", 1, DocumentSearchMode.Keyword)).Single();
        Assert.Equal("docs/manual.pdf", fan.Source);
        Assert.StartsWith("page ", fan.Position);
        var pages = new List<int?>();
        await foreach (var chunk in store.Chunks!.GetAsync(c => c.Source == "docs/manual.pdf", 100))
        {
            pages.Add(chunk.Page);
        }

        Assert.Equal([1, 2], pages.Distinct().Order());
        var pricing = (await store.SearchAsync("basic plan euros", 1, DocumentSearchMode.Keyword)).Single();
        Assert.DoesNotContain("Home | About", pricing.Text);
        Assert.Equal("Pricing", (await store.GetDocumentAsync("docs/notes/page.html"))!.Title);

        Assert.Equal(5, progress.Count);
        Assert.Equal([0, 1, 2, 3, 4], progress.Select(p => p.FilesDone));
        Assert.All(progress, p => Assert.Equal(4, p.FilesTotal));
        Assert.Null(progress[^1].Current);
    }

    [Fact]
    public async Task Re_ingesting_unchanged_files_is_a_no_op_and_a_changed_file_replaces_its_passages()
    {
        Write("a.md", "# A\n\nAlpha text about apples.");
        Write("b.md", "# B\n\nBravo text about bananas.");
        using var store = await OpenStoreAsync();
        await Ingestor(store).IngestAsync([Docs]);
        var calls = _embeddings.Calls;
        var before = await store.GetDocumentAsync("docs/a.md");

        var again = await Ingestor(store).IngestAsync([Docs]);

        Assert.Equal((2, 0, 0, 2, 0L), (again.Files, again.Added, again.Updated, again.Unchanged, again.Chunks));
        Assert.Equal(calls, _embeddings.Calls);
        Assert.Equal(before, await store.GetDocumentAsync("docs/a.md"));

        Write("a.md", "# A\n\nAlpha now speaks of apricots.");
        var changed = await Ingestor(store).IngestAsync([Docs]);

        Assert.Equal((1, 1), (changed.Updated, changed.Unchanged));
        Assert.Empty(await store.SearchAsync("apples", 5, DocumentSearchMode.Keyword));
        Assert.Single(await store.SearchAsync("apricots", 5, DocumentSearchMode.Keyword));
        Assert.Equal(2, (await store.GetStatisticsAsync()).Documents);
        Assert.NotEqual(before!.ContentHash, (await store.GetDocumentAsync("docs/a.md"))!.ContentHash);
    }

    [Fact]
    public async Task An_unreadable_file_is_reported_and_the_others_are_still_ingested()
    {
        Write("good.md", "# Good\n\nFine content.");
        Write("broken.pdf", "%PDF-1.7 this is not really a pdf");
        Write("data.bin", "binary");
        using var store = await OpenStoreAsync();

        var summary = await Ingestor(store).IngestAsync([Docs, Path.Combine(Docs, "data.bin")]);

        Assert.Equal(1, summary.Added);
        Assert.Equal(["docs/broken.pdf", "docs/data.bin"], summary.Failures.Select(f => f.Source).Order());
        Assert.Contains("docs/broken.pdf", summary.Failures.Single(f => f.Source.EndsWith(".pdf", StringComparison.Ordinal)).Message);
        Assert.Contains("supported:", summary.Failures.Single(f => f.Source.EndsWith(".bin", StringComparison.Ordinal)).Message);
        Assert.Equal(1, (await store.GetStatisticsAsync()).Documents);
    }

    [Fact]
    public async Task A_missing_path_fails_before_anything_is_written()
    {
        Write("a.md", "# A\n\ntext");
        using var store = await OpenStoreAsync();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Ingestor(store).IngestAsync([Docs, Path.Combine(_folder.Path, "nope")]));

        Assert.Contains("nope", error.Message);
        Assert.Equal(0, (await store.GetStatisticsAsync()).Documents);
    }

    [Fact]
    public async Task A_file_over_the_size_cap_is_reported_without_being_read()
    {
        Write("big.txt", new string('x', 5000));
        using var store = await OpenStoreAsync();
        var ingestor = new DocumentIngestor(store, _embeddings, new IngestOptions { SourceRoot = _folder.Path, Readers = new() { MaxBytes = 1000 } });

        var summary = await ingestor.IngestAsync([Docs]);

        Assert.Contains("over the 1,000-byte limit", summary.Failures.Single().Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_ingest_and_keeps_what_was_committed()
    {
        for (var i = 0; i < 5; i++)
        {
            Write($"{i}.md", $"# Doc {i}\n\nContent number {i}.");
        }

        using var store = await OpenStoreAsync();
        using var cancellation = new CancellationTokenSource();
        var seen = 0;
        var progress = new SyncProgress(_ =>
        {
            if (++seen == 3)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ingestor(store).IngestAsync([Docs], progress, cancellation.Token));

        var stored = await store.ListDocumentsAsync();
        Assert.Equal(2, stored.Count);
        Assert.Equal(stored.Sum(d => d.Chunks), (await store.GetStatisticsAsync()).Chunks);
    }

    [Fact]
    public async Task An_ingest_ends_with_every_passage_in_the_keyword_index()
    {
        for (var i = 0; i < 5; i++)
        {
            Write($"note{i}.md", $"# Note {i}\n\nThe turbine number {i} was inspected.\n");
        }

        using var store = await OpenStoreAsync();
        var summary = await Ingestor(store).IngestAsync([Docs]);

        // Written passage by passage without index entries, then indexed in one step before the ingest returned.
        Assert.Equal(5, summary.Chunks);
        Assert.Equal(0, await store.UpdateFullTextIndexAsync());
    }

    private Task<DocumentStore> OpenStoreAsync() =>
        DocumentStore.OpenAsync(StorePath, new DocumentStoreOptions { EmbeddingGenerator = _embeddings, CreateIfMissing = true });

    private DocumentIngestor Ingestor(DocumentStore store) => new(store, _embeddings, new IngestOptions { SourceRoot = _folder.Path });

    private void Write(string relative, string content) => WriteBytes(relative, System.Text.Encoding.UTF8.GetBytes(content));

    private void WriteBytes(string relative, byte[] content)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    private sealed class SyncProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }

    private sealed class CountingEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public int Calls { get; private set; }

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
