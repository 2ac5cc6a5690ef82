using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

public sealed class SqliteVectorStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_RefusesAnEmptyPath(string path) =>
        Assert.ThrowsAny<ArgumentException>(() => new SqliteVectorStore(path));

    [Fact]
    public void Constructor_RefusesInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVectorStore(_temp.Path, new SqliteVectorStoreOptions { MaxKeywordTerms = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVectorStore(_temp.Path, new SqliteVectorStoreOptions { HybridCandidateFactor = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteVectorStore(_temp.Path, new SqliteVectorStoreOptions { BusyTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void Path_IsTheFullPathOfTheFile()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _temp.Path);
        using var store = new SqliteVectorStore(relative);

        Assert.Equal(_temp.Path, store.Path);
    }

    [Fact]
    public async Task ListCollectionNames_IsEmptyForANewFile()
    {
        Assert.Empty(await _temp.Store.ListCollectionNamesAsync().ToListAsync());
        Assert.False(await _temp.Store.CollectionExistsAsync("notes"));
    }

    [Fact]
    public async Task ListCollectionNames_ListsCreatedCollectionsInOrderAndForgetsDeletedOnes()
    {
        await _temp.NotesAsync(name: "zeta");
        await _temp.NotesAsync(name: "alpha");
        await _temp.NotesAsync(name: "mid-dle_1");

        Assert.Equal(["alpha", "mid-dle_1", "zeta"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());

        await _temp.Store.EnsureCollectionDeletedAsync("mid-dle_1");

        Assert.Equal(["alpha", "zeta"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task CollectionExists_AgreesBetweenStoreAndCollection()
    {
        var notes = _temp.Store.GetCollection<string, Note>("notes");
        Assert.False(await notes.CollectionExistsAsync());
        Assert.False(await _temp.Store.CollectionExistsAsync("notes"));

        await notes.EnsureCollectionExistsAsync();

        Assert.True(await notes.CollectionExistsAsync());
        Assert.True(await _temp.Store.CollectionExistsAsync("notes"));
        Assert.False(await _temp.Store.CollectionExistsAsync("other"));
    }

    [Fact]
    public async Task EnsureCollectionDeleted_RemovesTheRecordsAndLaterReadsFailClearly()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        await _temp.Store.EnsureCollectionDeletedAsync("notes");

        Assert.False(await notes.CollectionExistsAsync());
        var search = await Assert.ThrowsAsync<VectorStoreException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 3).ToListAsync().AsTask());
        Assert.Contains("'notes' does not exist", search.Message, StringComparison.Ordinal);
        Assert.Equal("notes", search.CollectionName);
        var get = await Assert.ThrowsAsync<VectorStoreException>(() => notes.GetAsync(n => n.Rank == 0, 3).ToListAsync().AsTask());
        Assert.Contains("'notes' does not exist", get.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureCollectionDeleted_OfAMissingCollectionDoesNothing()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        await _temp.Store.EnsureCollectionDeletedAsync("never-created");
        await _temp.Store.EnsureCollectionDeletedAsync("never-created");

        Assert.Single(await notes.GetAsync(n => true, 10).ToListAsync());
    }

    [Fact]
    public async Task EnsureCollectionDeleted_ThenRecreated_StartsEmpty()
    {
        await _temp.NotesAsync([Note.Of("a", "alpha words", 1, 0, 0, 0)]);
        await _temp.Store.EnsureCollectionDeletedAsync("notes");

        var notes = await _temp.NotesAsync();

        Assert.Empty(await notes.GetAsync(n => true, 10).ToListAsync());
        Assert.Empty(await notes.KeywordSearchAsync("alpha", 10).ToListAsync());
        Assert.Empty(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync());
    }

    [Fact]
    public async Task TwoCollectionsInOneFile_AreIndependent()
    {
        var first = await _temp.NotesAsync([Note.Of("same-key", "apples", 1, 0, 0, 0), Note.Of("only-first", "pears", 0, 1, 0, 0)], name: "first");
        var second = await _temp.NotesAsync([Note.Of("same-key", "oranges", 0, 0, 1, 0)], name: "second");

        await second.DeleteAsync("same-key");

        Assert.Equal("apples", (await first.GetAsync("same-key"))?.Text);
        Assert.Null(await second.GetAsync("same-key"));
        Assert.Equal(["same-key", "only-first"], (await first.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync()).Select(r => r.Record.Id));
        Assert.Empty(await second.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync());
        Assert.Empty(await second.KeywordSearchAsync("apples pears", 10).ToListAsync());
    }

    [Fact]
    public async Task AnotherStoreOnTheSameFile_SeesCollectionsAndRecords()
    {
        await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        var other = _temp.Open();

        Assert.Equal(["notes"], await other.ListCollectionNamesAsync().ToListAsync());
        Assert.Equal("alpha", (await other.GetCollection<string, Note>("notes").GetAsync("a"))?.Text);
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("quote\"inside")]
    [InlineData("single'quote")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("x'); DROP TABLE notes; --")]
    [InlineData("1starts-with-digit")]
    [InlineData("-starts-with-dash")]
    [InlineData("dotted.name")]
    [InlineData("trailing-newline\n")]
    [InlineData("caf\u00e9")]
    [InlineData("__collections")]
    [InlineData("notes__fts")]
    [InlineData("notes__fts_data")]
    [InlineData("notes__ix_Source")]
    [InlineData("double__underscore")]
    public async Task GetCollection_RefusesNamesThatAreNotPlainIdentifiers(string name)
    {
        await _temp.NotesAsync([Note.Of("a", "alpha")]);

        var error = Assert.ThrowsAny<ArgumentException>(() => _temp.Store.GetCollection<string, Note>(name));

        Assert.Contains("collection name", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public void GetCollection_RefusesNamesLongerThan64Characters()
    {
        Assert.ThrowsAny<ArgumentException>(() => _temp.Store.GetCollection<string, Note>(new string('a', 65)));
        Assert.ThrowsAny<ArgumentException>(() => _temp.Store.GetCollection<string, Note>(new string('a', 100)));
        Assert.ThrowsAny<ArgumentException>(() => _temp.Store.GetCollection<string, Note>(string.Empty));
        Assert.ThrowsAny<ArgumentException>(() => _temp.Store.GetDynamicCollection("a b", new VectorStoreCollectionDefinition { Properties = [new VectorStoreKeyProperty("Id", typeof(string))] }));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("_private")]
    [InlineData("Mixed-Case_9")]
    public async Task GetCollection_AcceptsPlainIdentifiers(string name)
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha")], name);

        Assert.Equal(name, notes.Name);
        Assert.Contains(name, await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task GetCollection_Accepts64Characters()
    {
        var name = new string('n', 64);

        var notes = await _temp.NotesAsync([Note.Of("a", "alpha")], name);

        Assert.Equal("alpha", (await notes.GetAsync("a"))?.Text);
    }

    [Fact]
    public async Task CollectionNames_DifferingOnlyInCase_NameTheSameCollection()
    {
        // SQLite table names ignore case, so "Notes" is the table of "notes": it must also share its registry entry,
        // or a write through one name would not invalidate vectors cached under the other.
        var lower = await _temp.NotesAsync([Note.Of("a", "lower", 1, 0, 0, 0)], "notes");
        Assert.Single(await lower.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync());

        var upper = await _temp.NotesAsync([Note.Of("b", "upper", 0, 1, 0, 0)], "Notes");

        Assert.Equal(["a", "b"], (await lower.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync()).Select(r => r.Record.Id));
        Assert.Equal("lower", (await upper.GetAsync("a"))?.Text);
        Assert.Equal(["notes"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());
        Assert.True(await _temp.Store.CollectionExistsAsync("NOTES"));
    }

    [Fact]
    public void GetCollection_OfDictionaryRecords_PointsToTheDynamicCollection() =>
        Assert.Throws<NotSupportedException>(() => _temp.Store.GetCollection<object, Dictionary<string, object?>>("notes"));

    [Fact]
    public void GetService_DescribesTheStore()
    {
        var metadata = (VectorStoreMetadata?)_temp.Store.GetService(typeof(VectorStoreMetadata));

        Assert.NotNull(metadata);
        Assert.Equal("sqlite", metadata.VectorStoreSystemName);
        Assert.Equal(_temp.Path, metadata.VectorStoreName);
        Assert.Same(_temp.Store, _temp.Store.GetService(typeof(SqliteVectorStore)));
        Assert.Null(_temp.Store.GetService(typeof(string)));
        Assert.Null(_temp.Store.GetService(typeof(VectorStoreMetadata), "key"));
    }
}
