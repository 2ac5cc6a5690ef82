using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>Several tasks reading and writing one file at once: no errors, and the end state is exactly what was written.</summary>
public sealed class SqliteVectorStoreCollectionConcurrencyTests : IDisposable
{
    private const int Writers = 4;
    private const int BatchesPerWriter = 10;
    private const int RecordsPerBatch = 24;

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ParallelWritesAndSearches_OnOneCollection_LeaveExactlyWhatWasWritten()
    {
        var notes = await _temp.NotesAsync([Note.Of("seed", "seed word", 1, 0, 0, 0)]);
        var writing = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(notes, w))).ToList();
        var reading = Enumerable.Range(0, 3).Select(_ => Task.Run(() => SearchUntilAsync(notes, Task.WhenAll(writing)))).ToList();

        await Task.WhenAll(writing.Concat(reading));

        await AssertWrittenAsync(notes);
        Assert.All(reading, r => Assert.True(r.Result > 0));
    }

    [Fact]
    public async Task ParallelWritesAndSearches_ThroughSeveralStoresOnOneFile_LeaveExactlyWhatWasWritten()
    {
        var notes = await _temp.NotesAsync([Note.Of("seed", "seed word", 1, 0, 0, 0)]);
        var collections = Enumerable.Range(0, Writers).Select(_ => _temp.Open().GetCollection<string, Note>("notes")).ToList();
        var writing = collections.Select((c, w) => Task.Run(() => WriteAsync(c, w))).ToList();
        var reading = collections.Select(c => Task.Run(() => SearchUntilAsync(c, Task.WhenAll(writing)))).ToList();

        await Task.WhenAll(writing.Concat(reading));

        await AssertWrittenAsync(notes);
        foreach (var collection in collections)
        {
            Assert.Equal(Writers * BatchesPerWriter * RecordsPerBatch / 2 + 1, await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10_000).CountAsync());
        }
    }

    [Fact]
    public async Task EnsureCollectionExists_FromManyTasksAtOnce_CreatesOneCollection()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _temp.Open().GetCollection<string, Note>("notes").EnsureCollectionExistsAsync())));

        Assert.Equal(["notes"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    // Each writer upserts its batches, then deletes every other record it wrote and rewrites the rest's text.
    private static async Task WriteAsync(SqliteVectorStoreCollection<string, Note> notes, int writer)
    {
        for (var batch = 0; batch < BatchesPerWriter; batch++)
        {
            await notes.UpsertAsync(Enumerable.Range(0, RecordsPerBatch).Select(i =>
            {
                var id = Id(writer, batch, i);
                return Note.Of(id, $"draft w{writer}", 1, writer, batch, i);
            }));
        }

        for (var batch = 0; batch < BatchesPerWriter; batch++)
        {
            await notes.DeleteAsync(Enumerable.Range(0, RecordsPerBatch).Where(i => i % 2 == 1).Select(i => Id(writer, batch, i)));
            await notes.UpsertAsync(Enumerable.Range(0, RecordsPerBatch).Where(i => i % 2 == 0).Select(i => Note.Of(Id(writer, batch, i), $"final w{writer}", 1, writer, batch, i)));
        }
    }

    private static async Task<int> SearchUntilAsync(SqliteVectorStoreCollection<string, Note> notes, Task done)
    {
        var searches = 0;
        do
        {
            var hits = await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 10, new VectorSearchOptions<Note> { Filter = n => n.Rank == 0 }).ToListAsync();
            Assert.InRange(hits.Count, 1, 10);
            Assert.NotEmpty(await notes.KeywordSearchAsync("seed", 5).ToListAsync());
            searches++;
        }
        while (!done.IsCompleted);

        return searches;
    }

    private static async Task AssertWrittenAsync(SqliteVectorStoreCollection<string, Note> notes)
    {
        var all = await notes.GetAsync(n => true, 100_000).ToListAsync();
        var expected = Enumerable.Range(0, Writers)
            .SelectMany(w => Enumerable.Range(0, BatchesPerWriter).SelectMany(b => Enumerable.Range(0, RecordsPerBatch).Where(i => i % 2 == 0).Select(i => Id(w, b, i))))
            .Append("seed");
        Assert.Equal(expected.Order(), all.Select(n => n.Id).Order());
        Assert.All(all.Where(n => n.Id != "seed"), n => Assert.StartsWith("final", n.Text, StringComparison.Ordinal));

        Assert.Empty(await notes.KeywordSearchAsync("draft", 100_000).ToListAsync());
        Assert.Equal(Writers * BatchesPerWriter * RecordsPerBatch / 2, await notes.KeywordSearchAsync("final", 100_000).CountAsync());
        Assert.Equal(all.Count, await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 100_000).CountAsync());
    }

    private static string Id(int writer, int batch, int index) => $"w{writer}-b{batch}-i{index}";
}
