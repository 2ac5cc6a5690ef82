using Agents.Retrieval.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>
/// The full-text index is filled in bulk up to a watermark rather than by every write: new records wait for the next
/// catch-up, which every keyword or hybrid search runs first, so results stay exactly those of indexing every write.
/// </summary>
public sealed class SqliteVectorStoreCollectionFullTextIndexTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Writes_LeaveNewRecordsUnindexed_UntilOneCatchUpIndexesThemAll()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "solar panels"), Note.Of("b", "wind turbines"), Note.Of("c", "tidal power")]);

        Assert.Equal(0, await ScalarAsync("SELECT row_id FROM notes__fts_indexed"));

        Assert.Equal(3, await notes.UpdateFullTextIndexAsync());
        Assert.Equal(0, await notes.UpdateFullTextIndexAsync());
        Assert.Equal(await ScalarAsync("SELECT max(__id) FROM notes"), await ScalarAsync("SELECT row_id FROM notes__fts_indexed"));
        await AssertIndexMatchesRecordsAsync("notes");
    }

    [Fact]
    public async Task AProcessGoneBetweenWritingAndIndexing_LeavesRecordsThatTheNextSearchFinds()
    {
        // Written and never indexed, as when the writer is killed right after its commit.
        using (var writer = _temp.Open())
        {
            var written = writer.GetCollection<string, Note>("notes");
            await written.EnsureCollectionExistsAsync();
            await written.UpsertAsync([Note.Of("a", "solar panels"), Note.Of("b", "wind turbines")]);
        }

        SqliteConnection.ClearAllPools();
        var reader = _temp.Open().GetCollection<string, Note>("notes");

        var hits = await reader.KeywordSearchAsync("wind", 10).ToListAsync();

        Assert.Equal(["b"], hits.Select(h => h.Record.Id));
        await AssertIndexMatchesRecordsAsync("notes");
    }

    [Fact]
    public async Task ChangesOnBothSidesOfTheWatermark_GiveTheSameKeywordResultsAsIndexingEveryWrite()
    {
        var deferred = await _temp.NotesAsync(name: "deferred");
        var eager = await _temp.NotesAsync(name: "eager");

        // The same writes to both; the eager collection is caught up after each, the deferred one once, midway, so that
        // later writes change records on both sides of its watermark.
        await BothAsync(c => c.UpsertAsync(Enumerable.Range(0, 40).Select(i => Note.Of($"n{i}", $"report {i} on solar energy and wind"))));
        await deferred.UpdateFullTextIndexAsync();
        await BothAsync(c => c.UpsertAsync(Enumerable.Range(40, 20).Select(i => Note.Of($"n{i}", $"memo {i} about wind farms"))));
        await BothAsync(c => c.UpsertAsync([Note.Of("n3", "rewritten: tidal energy only"), Note.Of("n45", "rewritten memo about solar roofs")]));
        await BothAsync(c => c.DeleteAsync(["n5", "n50"]));
        Assert.Equal(0, await eager.UpdateFullTextIndexAsync());

        foreach (var query in new[] { "solar", "wind", "tidal energy", "memo rewritten", "report 5", "farms" })
        {
            var expected = await eager.KeywordSearchAsync(query, 100).ToListAsync();
            var actual = await deferred.KeywordSearchAsync(query, 100).ToListAsync();

            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(h => (h.Record.Id, h.Score)), actual.Select(h => (h.Record.Id, h.Score)));
        }

        await AssertIndexMatchesRecordsAsync("deferred");
        await AssertIndexMatchesRecordsAsync("eager");

        async Task BothAsync(Func<SqliteVectorStoreCollection<string, Note>, Task> write)
        {
            await write(deferred);
            await write(eager);
            await eager.UpdateFullTextIndexAsync();
        }
    }

    [Fact]
    public async Task ACatchUpThatNeverCommitted_LeavesIndexAndWatermarkAsTheyWere()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "solar panels")]);
        await notes.UpdateFullTextIndexAsync();
        await notes.UpsertAsync([Note.Of("b", "wind turbines")]);

        // A catch-up's own statements, cut off before their commit: what a process killed midway leaves behind.
        await using (var connection = new SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            await connection.OpenAsync();
            using var transaction = connection.BeginTransaction();
            using var partial = connection.CreateCommand();
            partial.Transaction = transaction;
            partial.CommandText = "INSERT INTO notes__fts (rowid, Text) SELECT __id, Text FROM notes WHERE __id > (SELECT row_id FROM notes__fts_indexed)";
            Assert.Equal(1, await partial.ExecuteNonQueryAsync());
        }

        Assert.Equal(await ScalarAsync("SELECT min(__id) FROM notes"), await ScalarAsync("SELECT row_id FROM notes__fts_indexed"));
        Assert.Equal(["b"], (await notes.KeywordSearchAsync("wind", 10).ToListAsync()).Select(h => h.Record.Id));
        await AssertIndexMatchesRecordsAsync("notes");
    }

    [Fact]
    public async Task AStoreWhoseTriggersIndexedEveryWrite_IsTakenOverWithoutIndexingAnythingTwice()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "solar panels")]);
        await notes.UpdateFullTextIndexAsync();
        await ExecuteAsync("""
            DROP TABLE notes__fts_indexed;
            DROP TRIGGER notes__fts_delete;
            DROP TRIGGER notes__fts_update;
            CREATE TRIGGER notes__fts_insert AFTER INSERT ON notes BEGIN INSERT INTO notes__fts (rowid, Text) VALUES (new.__id, new.Text); END;
            CREATE TRIGGER notes__fts_delete AFTER DELETE ON notes BEGIN INSERT INTO notes__fts (notes__fts, rowid, Text) VALUES ('delete', old.__id, old.Text); END;
            CREATE TRIGGER notes__fts_update AFTER UPDATE ON notes BEGIN INSERT INTO notes__fts (notes__fts, rowid, Text) VALUES ('delete', old.__id, old.Text); INSERT INTO notes__fts (rowid, Text) VALUES (new.__id, new.Text); END;
            """);
        var older = _temp.Open().GetCollection<string, Note>("notes");
        await older.UpsertAsync([Note.Of("b", "wind turbines")]);

        var hits = await older.KeywordSearchAsync("solar wind", 10).ToListAsync();

        Assert.Equal(["a", "b"], hits.Select(h => h.Record.Id).Order());
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'notes__fts_insert'"));
        Assert.Equal(await ScalarAsync("SELECT max(__id) FROM notes"), await ScalarAsync("SELECT row_id FROM notes__fts_indexed"));
        await AssertIndexMatchesRecordsAsync("notes");
    }

    [Fact]
    public async Task CatchingUpACollectionThatDoesNotExist_FailsClearly_AndCreatesNothing()
    {
        var missing = _temp.Store.GetCollection<string, Note>("missing");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => missing.UpdateFullTextIndexAsync());

        Assert.Contains("does not exist", error.Message);
        Assert.False(await missing.CollectionExistsAsync());
    }

    /// <summary>FTS5's own check that the index holds exactly the records' text (an external-content table's rank 1 check).</summary>
    private async Task AssertIndexMatchesRecordsAsync(string collection) =>
        await ExecuteAsync($"INSERT INTO \"{collection}__fts\" (\"{collection}__fts\", rank) VALUES ('integrity-check', 1)");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_temp.Path};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_temp.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
