using System.Diagnostics;
using Agents.Tools.Sql;

namespace Agents.Tools.Tests.Sql;

/// <summary>
/// What a hostile model would send. Each case asserts the clear error, that the database file (and
/// its folder) is byte-for-byte unchanged, and that the tool still answers a normal query afterwards.
/// </summary>
public sealed class SqlQueryToolAdversarialTests : IDisposable
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);

    // A runaway must stop within its limit plus this; generous so a loaded machine does not fail the test.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    private readonly ChinookCopy _chinook = new();

    public void Dispose() => _chinook.Dispose();

    [Theory]
    [InlineData("INSERT INTO Genre (Name) VALUES ('Polka')", "INSERT")]
    [InlineData("UPDATE Artist SET Name = 'x'", "UPDATE")]
    [InlineData("DELETE FROM InvoiceLine", "DELETE")]
    [InlineData("REPLACE INTO Genre (GenreId, Name) VALUES (1, 'Polka')", "INSERT")]
    [InlineData("INSERT INTO Genre (GenreId, Name) VALUES (1, 'Polka') ON CONFLICT (GenreId) DO UPDATE SET Name = excluded.Name", "INSERT")]
    [InlineData("INSERT INTO Genre (Name) VALUES ('Polka') RETURNING *", "INSERT")]
    [InlineData("WITH g AS (SELECT 1) DELETE FROM Genre WHERE GenreId IN (SELECT * FROM g)", "DELETE")]
    [InlineData("CREATE TABLE t (x)", "CREATE TABLE")]
    [InlineData("CREATE TABLE t AS SELECT * FROM Artist", "CREATE TABLE")]
    [InlineData("CREATE TEMP TABLE t (x)", "CREATE TEMP TABLE")]
    [InlineData("create temporary table t as select 1", "CREATE TEMPORARY TABLE")]
    [InlineData("CREATE VIEW v AS SELECT 1", "CREATE VIEW")]
    [InlineData("CREATE TEMP VIEW v AS SELECT 1", "CREATE TEMP VIEW")]
    [InlineData("CREATE TRIGGER t AFTER INSERT ON Genre BEGIN DELETE FROM Artist; END", "CREATE TRIGGER")]
    [InlineData("CREATE TEMP TRIGGER t AFTER INSERT ON Genre BEGIN SELECT 1; END", "CREATE TEMP TRIGGER")]
    [InlineData("CREATE INDEX i ON Artist (Name)", "CREATE INDEX")]
    [InlineData("CREATE UNIQUE INDEX i ON Artist (Name)", "CREATE UNIQUE INDEX")]
    [InlineData("CREATE VIRTUAL TABLE f USING fts5(x)", "CREATE VIRTUAL TABLE")]
    [InlineData("DROP TABLE Artist", "DROP TABLE")]
    [InlineData("DROP INDEX IFK_AlbumArtistId", "DROP INDEX")]
    [InlineData("ALTER TABLE Artist RENAME TO Artists", "ALTER TABLE")]
    [InlineData("ALTER TABLE Artist ADD COLUMN Evil TEXT", "ALTER TABLE")]
    [InlineData("ATTACH ':memory:' AS m", "ATTACH")]
    [InlineData("ATTACH DATABASE 'file:evil?mode=memory' AS m", "ATTACH")]
    [InlineData("DETACH DATABASE main", "DETACH")]
    [InlineData("SELECT load_extension('/tmp/evil.so')", "the function load_extension()")]
    [InlineData("SELECT fts3_tokenizer('simple')", "the function fts3_tokenizer()")]
    [InlineData("PRAGMA writable_schema = 1", "PRAGMA writable_schema")]
    [InlineData("PRAGMA journal_mode = delete", "PRAGMA journal_mode")]
    [InlineData("PRAGMA journal_mode = wal", "PRAGMA journal_mode")]
    [InlineData("PRAGMA journal_mode", "PRAGMA journal_mode")]
    [InlineData("PRAGMA user_version = 7", "PRAGMA user_version")]
    [InlineData("PRAGMA query_only = 0", "PRAGMA query_only")]
    [InlineData("PRAGMA temp_store_directory = '/tmp'", "PRAGMA temp_store_directory")]
    [InlineData("SELECT * FROM pragma_journal_mode", "PRAGMA journal_mode")]
    [InlineData("VACUUM", "VACUUM")]
    [InlineData("REINDEX", "REINDEX")]
    [InlineData("ANALYZE", "ANALYZE")]
    [InlineData("BEGIN", "BEGIN")]
    [InlineData("BEGIN IMMEDIATE", "BEGIN")]
    [InlineData("COMMIT", "COMMIT")]
    [InlineData("ROLLBACK", "ROLLBACK")]
    [InlineData("SAVEPOINT s", "SAVEPOINT")]
    [InlineData("RELEASE s", "RELEASE")]
    [InlineData("/* hide */ -- and seek\n  DELETE FROM Artist", "DELETE")]
    public void Refuses_everything_but_reading(string query, string refused)
    {
        var error = AssertRefusedAndHarmless(query);

        Assert.Equal($"Only read-only SELECT queries are allowed: {refused} is refused.", error.Message);
    }

    [Fact]
    public void Refuses_to_attach_a_file_and_creates_none()
    {
        var target = Path.Combine(_chinook.FolderPath, "stolen.sqlite");

        var error = AssertRefusedAndHarmless($"ATTACH DATABASE '{target}' AS stolen");

        Assert.Equal("Only read-only SELECT queries are allowed: ATTACH is refused.", error.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Refuses_vacuum_into_a_file_and_writes_none()
    {
        var target = Path.Combine(_chinook.FolderPath, "copy.sqlite");

        var error = AssertRefusedAndHarmless($"VACUUM INTO '{target}'");

        Assert.Equal("Only read-only SELECT queries are allowed: VACUUM is refused.", error.Message);
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("SELECT 1; DROP TABLE Artist")]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("SELECT 1;\n-- innocent\nDELETE FROM Artist")]
    [InlineData("SELECT 1; ATTACH ':memory:' AS m")]
    [InlineData("SELECT 1; garbage that does not parse")]
    [InlineData(";; SELECT 1; PRAGMA writable_schema = 1")]
    public void Refuses_more_than_one_statement(string query)
    {
        var error = AssertRefusedAndHarmless(query);

        Assert.Equal("Only one statement per call is allowed; send a single SELECT with nothing after its semicolon.", error.Message);
    }

    [Theory]
    [InlineData("SELECT readfile('/etc/passwd')")]
    [InlineData("SELECT writefile('/tmp/agents-sql-evil', 'x')")]
    [InlineData("SELECT * FROM fsdir('/')")]
    public void Has_no_way_to_reach_the_file_system(string query)
    {
        var error = AssertRefusedAndHarmless(query);

        Assert.Matches("^SQLite could not run the query: no such (function|table)|is refused", error.Message);
        Assert.False(File.Exists("/tmp/agents-sql-evil"));
    }

    [Theory]
    [InlineData("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")]
    [InlineData("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c ORDER BY x DESC LIMIT 1")]
    [InlineData("SELECT count(*) FROM Track a, Track b, Track c")]
    public void Stops_a_runaway_query_at_the_timeout(string query)
    {
        var tool = _chinook.CreateTool(o => o.Timeout = ShortTimeout);
        var before = _chinook.Fingerprint();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<SqlToolException>(() => tool.Query(query));

        Assert.True(clock.Elapsed < ShortTimeout + Margin, $"stopped after {clock.Elapsed}");
        Assert.Equal("The query ran past the 1 s limit and was stopped; filter, aggregate or add a LIMIT so it does less work.", error.Message);
        AssertStillHealthy(tool, before);
    }

    [Fact]
    public async Task Stops_a_runaway_query_when_cancelled()
    {
        var tool = _chinook.CreateTool(o => o.Timeout = TimeSpan.FromMinutes(5));
        using var cancellation = new CancellationTokenSource();
        var clock = new Stopwatch();

        // The query runs on its own thread and the clock runs from Cancel() until the query gives up, so a thread
        // pool busy with other tests (which delayed both the start and the cancellation timer) is not counted.
        var query = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return tool.Query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", cancellation.Token);
                }
                finally
                {
                    clock.Stop();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        clock.Start();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);

        Assert.True(clock.Elapsed < Margin, $"stopped after {clock.Elapsed}");
        Assert.Equal("275", tool.Query("SELECT count(*) FROM Artist").Split('\n')[1]);
    }

    [Theory]
    [InlineData("SELECT randomblob(1e9)")]
    [InlineData("SELECT length(randomblob(1e9))")]
    [InlineData("SELECT zeroblob(1e9)")]
    [InlineData("SELECT printf('%.*c', 1e9, 'x')")]
    [InlineData("SELECT length(replace(printf('%.*c', 500000, 'x'), 'x', printf('%.*c', 1000, 'y')))")]
    [InlineData("WITH RECURSIVE s(x) AS (SELECT 'x' UNION ALL SELECT x || x FROM s) SELECT length(x) FROM s")]
    public void Bounds_huge_values(string query)
    {
        var tool = _chinook.CreateTool();
        var before = _chinook.Fingerprint();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<SqlToolException>(() => tool.Query(query));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5) + Margin, $"stopped after {clock.Elapsed}");
        Assert.Equal("A value grew past the 1000000-byte limit (string or blob too big); return smaller values.", error.Message);
        AssertStillHealthy(tool, before);
    }

    [Fact]
    public void Refuses_a_deeply_nested_expression()
    {
        var error = AssertRefusedAndHarmless("SELECT " + new string('(', 20_000) + "1" + new string(')', 20_000));

        Assert.Matches("^SQLite could not run the query: .*(too large|stack overflow|[Rr]ecursion limit)", error.Message);
    }

    [Fact]
    public void Refuses_a_long_chain_of_operators()
    {
        var error = AssertRefusedAndHarmless("SELECT 1" + string.Concat(Enumerable.Repeat(" + 1", 20_000)));

        Assert.Matches("^SQLite could not run the query: .*(too large|stack overflow|[Rr]ecursion limit)", error.Message);
    }

    [Fact]
    public void Refuses_a_query_longer_than_the_parser_should_see()
    {
        var error = AssertRefusedAndHarmless("SELECT '" + new string('x', 200_000) + "'");

        Assert.Equal("The query is longer than the 100000-byte limit; send a shorter one.", error.Message);
    }

    [Fact]
    public void Refuses_a_header_wider_than_the_result_cap()
    {
        var columns = string.Join(", ", Enumerable.Range(0, 1_500).Select(i => $"1 AS a_rather_long_column_name_{i}"));

        var error = AssertRefusedAndHarmless($"SELECT {columns}");

        Assert.Equal("The query's 1500 column names alone pass the 16000-character result limit; select fewer columns or shorter names.", error.Message);
    }

    [Fact]
    public void Survives_many_refusals_and_runaways_in_parallel()
    {
        var tool = _chinook.CreateTool(o => o.Timeout = ShortTimeout);
        var before = _chinook.Fingerprint();
        string[] queries =
        [
            "DROP TABLE Artist",
            "SELECT randomblob(1e9)",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
            "ATTACH ':memory:' AS m",
            "SELECT count(*) FROM Artist",
        ];

        var outcomes = queries.SelectMany(q => Enumerable.Repeat(q, 3)).AsParallel().Select(q =>
        {
            try
            {
                return tool.Query(q);
            }
            catch (SqlToolException ex)
            {
                return ex.Message;
            }
        }).ToList();

        Assert.Equal(3, outcomes.Count(o => o == "count(*)\n275\n(1 row)"));
        Assert.Equal(12, outcomes.Count(o => o.StartsWith("Only read-only", StringComparison.Ordinal) || o.StartsWith("A value grew", StringComparison.Ordinal) || o.StartsWith("The query ran past", StringComparison.Ordinal)));
        AssertStillHealthy(tool, before);
    }

    private SqlToolException AssertRefusedAndHarmless(string query)
    {
        var tool = _chinook.CreateTool();
        var before = _chinook.Fingerprint();

        var error = Assert.Throws<SqlToolException>(() => tool.Query(query));

        Assert.DoesNotContain('\n', error.Message);
        AssertStillHealthy(tool, before);
        return error;
    }

    private void AssertStillHealthy(SqlQueryTool tool, string fingerprintBefore)
    {
        Assert.Equal(fingerprintBefore, _chinook.Fingerprint());
        Assert.Equal("count(*)\n275\n(1 row)", tool.Query("SELECT count(*) FROM Artist"));
        Assert.Equal(11, tool.Schema().Split('\n').Length);
    }
}
