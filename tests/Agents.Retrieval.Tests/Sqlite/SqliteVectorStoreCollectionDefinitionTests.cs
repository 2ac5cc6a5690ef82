using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>
/// How a collection's shape is declared and checked: definitions, storage names, distance functions, dynamic records,
/// and what happens when two declarations of one collection disagree.
/// </summary>
public sealed class SqliteVectorStoreCollectionDefinitionTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EnsureCollectionExists_IsIdempotentAndKeepsRecords()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        await notes.EnsureCollectionExistsAsync();
        await _temp.Store.GetCollection<string, Note>("notes").EnsureCollectionExistsAsync();

        Assert.Equal("alpha", (await notes.GetAsync("a"))?.Text);
    }

    [Fact]
    public async Task EnsureCollectionExists_WithOtherVectorSizes_FailsNamingBoth()
    {
        await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);
        var other = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(dimensions: 8, DistanceFunction.CosineSimilarity));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => other.EnsureCollectionExistsAsync());

        Assert.Contains("4:CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Contains("8:CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Equal("notes", error.CollectionName);
    }

    [Fact]
    public async Task EnsureCollectionExists_WithAnotherDistanceFunction_Fails()
    {
        await _temp.NotesAsync();
        var other = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(dimensions: 4, DistanceFunction.EuclideanDistance));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => other.EnsureCollectionExistsAsync());

        Assert.Contains("EuclideanDistance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_ThroughADefinitionWithOtherVectorSizes_IsRefusedAndWritesNothing()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);
        var wider = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(dimensions: 8, DistanceFunction.CosineSimilarity));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => wider.UpsertAsync(Note.Of("b", "beta", 1, 0, 0, 0, 0, 0, 0, 0)));

        Assert.Contains("4:CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Contains("8:CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Search_ThroughADefinitionWithOtherVectorSizes_FailsClearly()
    {
        await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);
        var wider = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(dimensions: 8, DistanceFunction.CosineSimilarity));

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => wider.SearchAsync(new float[8], 5).ToListAsync().AsTask());

        Assert.Contains("4:CosineSimilarity", error.Message, StringComparison.Ordinal);
        Assert.Contains("8:CosineSimilarity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistanceFunction.HammingDistance)]
    [InlineData(DistanceFunction.ManhattanDistance)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity)]
    public async Task UnsupportedDistanceFunctions_AreRefusedBeforeAnythingIsCreated(string function)
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            var notes = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(dimensions: 4, function));
            await notes.EnsureCollectionExistsAsync();
        });

        Assert.Contains(function, error.Message, StringComparison.Ordinal);
        Assert.False(await _temp.Store.CollectionExistsAsync("notes"));
    }

    [Fact]
    public async Task Definition_WithStorageNames_MapsPropertiesToThoseColumns()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)) { StorageName = "note id" },
                new VectorStoreDataProperty(nameof(Note.Text), typeof(string)) { StorageName = "text\"; DROP TABLE x; --", IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Note.Rank), typeof(int)) { StorageName = "rank", IsIndexed = true },
                new VectorStoreVectorProperty(nameof(Note.Vector), typeof(ReadOnlyMemory<float>?), 4) { StorageName = "vec tor" },
            ],
        };
        var notes = _temp.Store.GetCollection<string, Note>("mapped", definition);
        await notes.EnsureCollectionExistsAsync();

        await notes.UpsertAsync([new Note { Id = "a", Text = "mapped words", Rank = 3, Vector = new float[] { 1, 0, 0, 0 } }]);

        var read = await notes.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal("mapped words", read!.Text);
        Assert.Equal(3, read.Rank);
        Assert.Equal("a", (await notes.GetAsync(n => n.Rank == 3, 1).SingleAsync()).Id);
        Assert.Equal("a", (await notes.KeywordSearchAsync("mapped", 1).SingleAsync()).Record.Id);
        Assert.Equal("a", (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).SingleAsync()).Record.Id);
    }

    [Fact]
    public void Definition_UsingTheReservedRowIdColumn_IsRefused()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties = [new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)) { StorageName = "__id" }],
        };

        var error = Assert.Throws<ArgumentException>(() => _temp.Store.GetCollection<string, Note>("notes", definition));

        Assert.Contains("__id", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rank")]
    [InlineData("RowId")]
    [InlineData("notes__fts")]
    public void FullTextProperties_NamedLikeTheIndexsOwnColumns_AreRefused(string storageName)
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(Note.Text), typeof(string)) { IsFullTextIndexed = true, StorageName = storageName },
            ],
        };

        var error = Assert.Throws<ArgumentException>(() => _temp.Store.GetCollection<string, Note>("notes", definition));

        Assert.Contains(storageName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataProperties_NamedLikeSqliteRowIds_StillWork()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)) { StorageName = "oid" },
                new VectorStoreDataProperty(nameof(Note.Text), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Note.Rank), typeof(int)) { StorageName = "rowid", IsIndexed = true },
                new VectorStoreVectorProperty(nameof(Note.Vector), typeof(ReadOnlyMemory<float>?), 4),
            ],
        };
        var notes = _temp.Store.GetCollection<string, Note>("notes", definition);
        await notes.EnsureCollectionExistsAsync();

        await notes.UpsertAsync([new Note { Id = "a", Text = "alpha", Rank = 100, Vector = new float[] { 1, 0, 0, 0 } }, new Note { Id = "b", Text = "alpha beta", Rank = 200, Vector = new float[] { 0, 1, 0, 0 } }]);

        Assert.Equal(["b"], (await notes.KeywordSearchAsync("alpha", 5, new HybridSearchOptions<Note> { Filter = n => n.Rank == 200 }).ToListAsync()).Select(h => h.Record.Id));
        Assert.Equal(["a"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, new VectorSearchOptions<Note> { Filter = n => n.Rank < 150 }).ToListAsync()).Select(h => h.Record.Id));
        Assert.Equal(["b", "a"], (await notes.HybridSearchAsync(new float[] { 0, 1, 0, 0 }, ["beta"], 5).ToListAsync()).Select(h => h.Record.Id));
        Assert.Equal(100, (await notes.GetAsync("a"))!.Rank);
    }

    [Fact]
    public void FullTextIndexOnANonString_IsRefused()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(Note.Rank), typeof(int)) { IsFullTextIndexed = true },
            ],
        };

        var error = Assert.Throws<ArgumentException>(() => _temp.Store.GetCollection<string, Note>("notes", definition));

        Assert.Contains("Rank", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamicCollection_StoresReadsFiltersAndSearchesDictionaries()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreDataProperty("Text", typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty("Rank", typeof(int)) { IsIndexed = true },
                new VectorStoreDataProperty("Tags", typeof(List<string>)),
                new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = DistanceFunction.DotProductSimilarity },
            ],
        };
        var collection = _temp.Store.GetDynamicCollection("dynamic", definition);
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(
        [
            new() { ["Id"] = "a", ["Text"] = "first dynamic record", ["Rank"] = 1, ["Tags"] = new List<string> { "x" }, ["Vector"] = new ReadOnlyMemory<float>([1f, 0f]) },
            new() { ["Id"] = "b", ["Text"] = "second record", ["Rank"] = 2, ["Tags"] = null, ["Vector"] = new ReadOnlyMemory<float>([0f, 2f]) },
        ]);

        var read = await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(read);
        Assert.Equal("first dynamic record", read["Text"]);
        Assert.Equal(1, read["Rank"]);
        Assert.Equal(["x"], (List<string>)read["Tags"]!);
        Assert.Equal([1f, 0f], ((ReadOnlyMemory<float>)read["Vector"]!).ToArray());

        var filtered = await collection.GetAsync(r => (int)r["Rank"]! > 1, 10).ToListAsync();
        Assert.Equal(["b"], filtered.Select(r => r["Id"]));

        var hits = await collection.SearchAsync(new float[] { 0, 1 }, 2).ToListAsync();
        Assert.Equal(["b", "a"], hits.Select(h => h.Record["Id"]));
        Assert.Equal(2d, hits[0].Score!.Value, 5);

        var keyword = await collection.KeywordSearchAsync("dynamic", 5).ToListAsync();
        Assert.Equal(["a"], keyword.Select(h => h.Record["Id"]));

        await collection.DeleteAsync("a");
        Assert.Null(await collection.GetAsync("a"));
    }
}
