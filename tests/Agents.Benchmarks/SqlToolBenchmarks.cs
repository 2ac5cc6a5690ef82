using Agents.Tools.Sql;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Agents.Benchmarks;

/// <summary>
/// One <c>sql_query</c> call on a copy of Chinook: open read-only, lock down (authorizer, limits,
/// deadline), prepare, read, format the table. Against it, the same query through bare
/// Microsoft.Data.Sqlite with a fresh unpooled connection, to show what the guards cost.
/// </summary>
[MemoryDiagnoser]
public class SqlToolBenchmarks
{
    private const string SmallQuery = "SELECT Name FROM Artist WHERE ArtistId = 1";

    private const string JoinQuery = """
        SELECT ar.Name, count(*) AS Albums FROM Album al JOIN Artist ar USING (ArtistId)
        GROUP BY ar.ArtistId ORDER BY Albums DESC LIMIT 10
        """;

    private string _folder = null!;
    private string _database = null!;
    private SqlQueryTool _tool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("agents-bench-").FullName;
        _database = Path.Combine(_folder, "chinook.sqlite");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "chinook.sqlite"), _database);
        _tool = new SqlQueryTool(new SqlToolOptions { DatabasePath = _database });

        // A broken path is never timed.
        if (_tool.Query(SmallQuery) != "Name\nAC/DC\n(1 row)" || !_tool.Query(JoinQuery).StartsWith("Name | Albums\nIron Maiden | 21\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The SQL tool did not answer the benchmark queries as expected.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "Microsoft.Data.Sqlite, unpooled read-only open + small query")]
    public object? BareSqlite()
    {
        using var connection = new SqliteConnection($"Data Source={_database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SmallQuery;
        return command.ExecuteScalar();
    }

    [Benchmark(Description = "sql_query, small query")]
    public string SmallQueryCall() => _tool.Query(SmallQuery);

    [Benchmark(Description = "sql_query, join + group by, 10 rows")]
    public string JoinQueryCall() => _tool.Query(JoinQuery);

    [Benchmark(Description = "sql_schema")]
    public string SchemaCall() => _tool.Schema();
}
