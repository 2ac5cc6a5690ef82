using System.Linq.Expressions;
using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>Creating, writing, reading and deleting records; searches have their own test classes.</summary>
public sealed class SqliteVectorStoreCollectionTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryDataType_RoundTrips()
    {
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var record = new AllTypesRecord
        {
            Id = Guid.NewGuid(),
            Text = "tëxt with 'quotes', \"double quotes\" and 日本語 🙂",
            Int = int.MinValue,
            Long = long.MaxValue,
            Short = short.MinValue,
            Bool = true,
            Float = 3.1415927f,
            Double = 1.0 / 3.0,
            Guid = Guid.NewGuid(),
            When = new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc).AddTicks(1234567),
            WhenWithOffset = new DateTimeOffset(2024, 7, 1, 12, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(7654321),
            Bytes = [0, 1, 2, 0, 255],
            TagArray = ["a", "with \"quote\"", "back\\slash", "日本"],
            TagList = ["x", string.Empty],
            NullableInt = 7,
            NullableLong = -7,
            NullableShort = 3,
            NullableBool = false,
            NullableFloat = -0.5f,
            NullableDouble = double.Epsilon,
            NullableGuid = Guid.NewGuid(),
            NullableWhen = new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc),
            NullableWhenWithOffset = new DateTimeOffset(1999, 12, 31, 23, 0, 0, TimeSpan.FromHours(-8)),
            Vector = [1, 2, 3],
        };

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync(record.Id, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        Assert.Equal(record.Id, read.Id);
        Assert.Equal(record.Text, read.Text);
        Assert.Equal(record.Int, read.Int);
        Assert.Equal(record.Long, read.Long);
        Assert.Equal(record.Short, read.Short);
        Assert.Equal(record.Bool, read.Bool);
        Assert.Equal(record.Float, read.Float);
        Assert.Equal(record.Double, read.Double);
        Assert.Equal(record.Guid, read.Guid);
        Assert.Equal(record.When, read.When);
        Assert.Equal(DateTimeKind.Utc, read.When.Kind);
        Assert.Equal(record.WhenWithOffset, read.WhenWithOffset);
        Assert.Equal(record.WhenWithOffset.UtcDateTime, read.WhenWithOffset.UtcDateTime);
        Assert.Equal(record.Bytes, read.Bytes);
        Assert.Equal(record.TagArray, read.TagArray);
        Assert.Equal(record.TagList, read.TagList);
        Assert.Equal(record.NullableInt, read.NullableInt);
        Assert.Equal(record.NullableLong, read.NullableLong);
        Assert.Equal(record.NullableShort, read.NullableShort);
        Assert.Equal(record.NullableBool, read.NullableBool);
        Assert.Equal(record.NullableFloat, read.NullableFloat);
        Assert.Equal(record.NullableDouble, read.NullableDouble);
        Assert.Equal(record.NullableGuid, read.NullableGuid);
        Assert.Equal(record.NullableWhen, read.NullableWhen);
        Assert.Equal(record.NullableWhenWithOffset, read.NullableWhenWithOffset);
        Assert.Equal(record.Vector, read.Vector);
    }

    [Fact]
    public async Task NullValues_RoundTripAsNull()
    {
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var record = new AllTypesRecord { Id = Guid.NewGuid() };

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync(record.Id, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(read);
        Assert.Null(read.Text);
        Assert.Null(read.Bytes);
        Assert.Null(read.TagArray);
        Assert.Null(read.TagList);
        Assert.Null(read.NullableInt);
        Assert.Null(read.NullableLong);
        Assert.Null(read.NullableShort);
        Assert.Null(read.NullableBool);
        Assert.Null(read.NullableFloat);
        Assert.Null(read.NullableDouble);
        Assert.Null(read.NullableGuid);
        Assert.Null(read.NullableWhen);
        Assert.Null(read.NullableWhenWithOffset);
        Assert.Null(read.Vector);
        Assert.Equal(default, read.When);
        Assert.Equal(default, read.WhenWithOffset);
    }

    [Fact]
    public async Task EmptyTagLists_StayEmptyNotNull()
    {
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var record = new AllTypesRecord { Id = Guid.NewGuid(), TagArray = [], TagList = [] };

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync(record.Id);

        Assert.NotNull(read);
        Assert.Equal([], read.TagArray!);
        Assert.Equal([], read.TagList!);
    }

    [Fact]
    public async Task EmptyTextAndBytes_StayEmptyNotNull()
    {
        // Writes bind values from spans straight into SQLite, which reads a value without an address as NULL.
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var record = new AllTypesRecord { Id = Guid.NewGuid(), Text = "", Bytes = [] };

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync(record.Id);

        Assert.NotNull(read);
        Assert.Equal("", read.Text);
        Assert.Equal([], read.Bytes!);
    }

    [Fact]
    public async Task UnspecifiedDateTimes_KeepTheirKind()
    {
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var record = new AllTypesRecord { Id = Guid.NewGuid(), When = new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Unspecified) };

        await collection.UpsertAsync(record);
        var read = await collection.GetAsync(record.Id);

        Assert.Equal(record.When, read!.When);
        Assert.Equal(DateTimeKind.Unspecified, read.When.Kind);
    }

    [Fact]
    public Task StringKeys_WorkEndToEnd() => KeysWorkEndToEndAsync("first", "second'; DROP TABLE keyed; --", "missing");

    [Fact]
    public Task IntKeys_WorkEndToEnd() => KeysWorkEndToEndAsync(1, int.MaxValue, 3);

    [Fact]
    public Task LongKeys_WorkEndToEnd() => KeysWorkEndToEndAsync(-1L, long.MaxValue, 0L);

    [Fact]
    public Task GuidKeys_WorkEndToEnd() => KeysWorkEndToEndAsync(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

    [Fact]
    public async Task Upsert_OfAnExistingKey_UpdatesInPlace()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "old words here", 1, 0, 0, 0), Note.Of("b", "bystander", 0, 1, 0, 0)]);

        await notes.UpsertAsync(new Note { Id = "a", Text = "new text instead", Source = "s", Rank = 9, Vector = new float[] { 0, 0, 1, 0 } });

        var all = await notes.GetAsync(n => true, 10).ToListAsync();
        Assert.Equal(2, all.Count);
        var updated = Assert.Single(all, n => n.Id == "a");
        Assert.Equal("new text instead", updated.Text);
        Assert.Equal("s", updated.Source);
        Assert.Equal(9, updated.Rank);
        Assert.Equal("a", (await notes.SearchAsync(new float[] { 0, 0, 1, 0 }, 1).SingleAsync()).Record.Id);
    }

    [Fact]
    public async Task Upsert_OfAnExistingKey_ReplacesItsFullTextEntry()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "obsolete vocabulary"), Note.Of("b", "obsolete too")]);

        await notes.UpsertAsync(Note.Of("a", "fresh wording"));

        Assert.Equal(["b"], (await notes.KeywordSearchAsync("vocabulary obsolete", 10).ToListAsync()).Select(r => r.Record.Id));
        Assert.Equal(["a"], (await notes.KeywordSearchAsync("fresh", 10).ToListAsync()).Select(r => r.Record.Id));
        Assert.Equal(["a"], (await notes.KeywordSearchAsync("wording", 10).ToListAsync()).Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Upsert_TheSameKeyTwiceInOneBatch_KeepsTheLast()
    {
        var notes = await _temp.NotesAsync();

        await notes.UpsertAsync([Note.Of("a", "first version"), Note.Of("a", "second version")]);

        var note = Assert.Single(await notes.GetAsync(n => true, 10).ToListAsync());
        Assert.Equal("second version", note.Text);
        Assert.Empty(await notes.KeywordSearchAsync("first", 10).ToListAsync());
    }

    [Fact]
    public async Task Upsert_WithAWrongSizedVector_WritesNothingOfTheBatch()
    {
        var notes = await _temp.NotesAsync([Note.Of("existing", "kept", 1, 0, 0, 0)]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => notes.UpsertAsync(
            [Note.Of("good", "fine", 0, 1, 0, 0), Note.Of("existing", "changed", 0, 0, 1, 0), Note.Of("bad", "wrong size", 1, 2, 3)]));

        Assert.Contains("3-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains("stores 4 dimensions", error.Message, StringComparison.Ordinal);
        var all = await notes.GetAsync(n => true, 10).ToListAsync();
        Assert.Equal("kept", Assert.Single(all).Text);
        Assert.Empty(await notes.KeywordSearchAsync("fine changed", 10).ToListAsync());
        Assert.Equal(["existing"], (await notes.SearchAsync(new float[] { 0, 1, 0, 0 }, 10).ToListAsync()).Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Upsert_WithANullKey_IsRefusedAndWritesNothing()
    {
        var notes = await _temp.NotesAsync([Note.Of("existing", "kept")]);

        await Assert.ThrowsAsync<ArgumentException>(() => notes.UpsertAsync([Note.Of("fine", "fine"), new Note { Id = null!, Text = "no key" }]));

        Assert.Single(await notes.GetAsync(n => true, 10).ToListAsync());
    }

    [Fact]
    public async Task Upsert_OfAnEmptyBatch_ChangesNothing()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha")]);

        await notes.UpsertAsync([]);

        Assert.Single(await notes.GetAsync(n => true, 10).ToListAsync());
    }

    [Fact]
    public async Task Writes_ToACollectionThatWasNeverCreated_FailClearly()
    {
        await _temp.NotesAsync(name: "other");
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var upsert = await Assert.ThrowsAsync<VectorStoreException>(() => notes.UpsertAsync(Note.Of("a", "alpha")));
        var delete = await Assert.ThrowsAsync<VectorStoreException>(() => notes.DeleteAsync("a"));

        Assert.Contains("'notes' does not exist", upsert.Message, StringComparison.Ordinal);
        Assert.Contains("'notes' does not exist", delete.Message, StringComparison.Ordinal);
        Assert.False(await notes.CollectionExistsAsync());
    }

    [Fact]
    public async Task Reads_OfACollectionThatWasNeverCreated_FailClearly()
    {
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var get = await Assert.ThrowsAsync<VectorStoreException>(() => notes.GetAsync("a"));

        Assert.Contains("'notes' does not exist", get.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesOneOrManyAndIgnoresMissingKeys()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha"), Note.Of("b", "beta"), Note.Of("c", "gamma"), Note.Of("d", "delta")]);

        await notes.DeleteAsync("a");
        await notes.DeleteAsync(["b", "missing", "c"]);
        await notes.DeleteAsync("missing");

        Assert.Equal(["d"], (await notes.GetAsync(n => true, 10).ToListAsync()).Select(n => n.Id));
        Assert.Empty(await notes.KeywordSearchAsync("alpha beta gamma", 10).ToListAsync());
    }

    [Fact]
    public async Task GetMany_ReturnsOnlyTheKeysThatExist()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha"), Note.Of("b", "beta"), Note.Of("c", "gamma")]);

        var found = await notes.GetAsync(["c", "missing", "a", "also-missing"]).ToListAsync();

        Assert.Equal(["a", "c"], found.Select(n => n.Id).Order());
        Assert.Empty(await notes.GetAsync(Array.Empty<string>()).ToListAsync());
        Assert.Null(await notes.GetAsync("missing"));
    }

    [Fact]
    public async Task GetMany_WithMoreKeysThanOneStatementTakes_FindsThemAll()
    {
        var notes = await _temp.NotesAsync(Enumerable.Range(0, 1200).Select(i => Note.Of($"n{i}", $"note {i}")));

        var found = await notes.GetAsync(Enumerable.Range(0, 1300).Select(i => $"n{i}")).ToListAsync();

        Assert.Equal(1200, found.Count);
        Assert.Equal(1200, found.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public async Task IncludeVectors_LoadsVectorsOnlyWhenAsked()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 0.5f, -1, 2, 0)]);

        var without = await notes.GetAsync("a");
        var with = await notes.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true });
        var searched = await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<Note> { IncludeVectors = true }).SingleAsync();
        var searchedWithout = await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).SingleAsync();

        Assert.Null(without!.Vector);
        Assert.Equal([0.5f, -1, 2, 0], with!.Vector!.Value.ToArray());
        Assert.Equal([0.5f, -1, 2, 0], searched.Record.Vector!.Value.ToArray());
        Assert.Null(searchedWithout.Record.Vector);
    }

    [Fact]
    public async Task GetByFilter_PagesWithTopSkipAndOrderBy()
    {
        var notes = await _temp.NotesAsync(Enumerable.Range(1, 10).Select(i => new Note { Id = $"n{i:00}", Text = "t", Rank = i % 4, Source = i % 2 == 0 ? "even" : "odd" }));

        var ascending = await notes.GetAsync(n => n.Rank >= 0, 4, new FilteredRecordRetrievalOptions<Note>
        {
            OrderBy = o => o.Ascending(n => n.Rank).Descending(n => n.Id),
        }).ToListAsync();
        var descendingSkipped = await notes.GetAsync(n => n.Source == "even", 2, new FilteredRecordRetrievalOptions<Note>
        {
            Skip = 1,
            OrderBy = o => o.Descending(n => n.Id),
        }).ToListAsync();
        var pastTheEnd = await notes.GetAsync(n => true, 5, new FilteredRecordRetrievalOptions<Note> { Skip = 20 }).ToListAsync();

        Assert.Equal(["n08", "n04", "n09", "n05"], ascending.Select(n => n.Id));
        Assert.Equal(["n08", "n06"], descendingSkipped.Select(n => n.Id));
        Assert.Empty(pastTheEnd);
    }

    [Fact]
    public async Task GetByFilter_RefusesNonPositiveTopAndNegativeSkip()
    {
        var notes = await _temp.NotesAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.GetAsync(n => true, 0).ToListAsync().AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.GetAsync(n => true, 1, new FilteredRecordRetrievalOptions<Note> { Skip = -1 }).ToListAsync().AsTask());
    }

    [Fact]
    public async Task CancelledOperations_ThrowAndWriteNothing()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notes.UpsertAsync([Note.Of("b", "beta")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notes.DeleteAsync("a", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, cancellationToken: cancelled.Token).ToListAsync().AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notes.KeywordSearchAsync("alpha", 5, cancellationToken: cancelled.Token).ToListAsync().AsTask());

        Assert.Equal(["a"], (await notes.GetAsync(n => true, 10).ToListAsync()).Select(n => n.Id));
    }

    [Fact]
    public async Task AStoreInAFolderThatDoesNotExist_FailsClearly()
    {
        using var store = new SqliteVectorStore(Path.Combine(Path.GetDirectoryName(_temp.Path)!, "missing", "store.db"));
        var notes = store.GetCollection<string, Note>("notes");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => notes.EnsureCollectionExistsAsync());

        Assert.Contains("Could not open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetService_DescribesTheCollection()
    {
        var notes = await _temp.NotesAsync();

        var metadata = (VectorStoreCollectionMetadata?)notes.GetService(typeof(VectorStoreCollectionMetadata));

        Assert.NotNull(metadata);
        Assert.Equal("sqlite", metadata.VectorStoreSystemName);
        Assert.Equal(_temp.Path, metadata.VectorStoreName);
        Assert.Equal("notes", metadata.CollectionName);
        Assert.Same(notes, notes.GetService(typeof(IKeywordHybridSearchable<Note>)));
    }

    private async Task KeysWorkEndToEndAsync<TKey>(TKey first, TKey second, TKey missing)
        where TKey : notnull
    {
        var collection = _temp.Store.GetCollection<TKey, KeyedRecord<TKey>>("keyed");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync([new KeyedRecord<TKey> { Key = first, Text = "one", Vector = [1, 0] }, new KeyedRecord<TKey> { Key = second, Text = "two", Vector = [0, 1] }]);
        await collection.UpsertAsync(new KeyedRecord<TKey> { Key = first, Text = "one again", Vector = [1, 0] });

        Assert.Equal("one again", (await collection.GetAsync(first))?.Text);
        Assert.Equal(second, (await collection.GetAsync(second))!.Key);
        Assert.Null(await collection.GetAsync(missing));
        Assert.Equal(2, await collection.GetAsync([first, second, missing]).CountAsync());
        Assert.Equal(second, (await collection.SearchAsync(new float[] { 0, 1 }, 1).SingleAsync()).Record.Key);
        Assert.Equal(first, (await collection.GetAsync(KeyEquals(first), 5).SingleAsync()).Key);

        await collection.DeleteAsync(first);

        Assert.Null(await collection.GetAsync(first));
        Assert.Equal([second], (await collection.SearchAsync(new float[] { 1, 0 }, 5).ToListAsync()).Select(r => r.Record.Key));
    }

    // r => r.Key == key, which C# cannot write for an unconstrained TKey.
    private static Expression<Func<KeyedRecord<TKey>, bool>> KeyEquals<TKey>(TKey key)
        where TKey : notnull
    {
        var record = Expression.Parameter(typeof(KeyedRecord<TKey>), "r");
        var body = Expression.Equal(Expression.Property(record, nameof(KeyedRecord<TKey>.Key)), Expression.Constant(key, typeof(TKey)));
        return Expression.Lambda<Func<KeyedRecord<TKey>, bool>>(body, record);
    }
}
