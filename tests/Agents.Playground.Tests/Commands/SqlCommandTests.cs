using System.Security.Cryptography;
using System.Text.Json;
using Agents.Testing;

namespace Agents.Playground.Tests.Commands;

public sealed class SqlCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _database;

    public SqlCommandTests()
    {
        _database = _folder.PathOf("chinook.sqlite");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "chinook.sqlite"), _database);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PrintsTheResultAsATable()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "sql", "chinook.sqlite", "SELECT ArtistId, Name FROM Artist ORDER BY ArtistId LIMIT 2");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("ArtistId | Name\n1 | AC/DC\n2 | Accept\n(2 rows)", result.Stdout.TrimEnd());
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task PrintsColumnsRowsAndTruncationAsJson()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "sql", _database, "SELECT TrackId, Name, UnitPrice, Composer FROM Track WHERE TrackId IN (1, 63) ORDER BY TrackId", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(["TrackId", "Name", "UnitPrice", "Composer"], root.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[0][0].GetInt64());
        Assert.Equal("For Those About To Rock (We Salute You)", rows[0][1].GetString());
        Assert.Equal(0.99, rows[0][2].GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1][3].ValueKind);
        Assert.False(root.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task SaysInJsonWhenTheRowCapCutTheResult()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "sql", _database, "SELECT TrackId FROM Track", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(200, json.RootElement.GetProperty("rows").GetArrayLength());
    }

    [Theory]
    [InlineData("DROP TABLE Artist", "Only read-only SELECT queries are allowed: DROP TABLE is refused.")]
    [InlineData("ATTACH ':memory:' AS m", "Only read-only SELECT queries are allowed: ATTACH is refused.")]
    [InlineData("SELECT 1; DELETE FROM Artist", "Only one statement per call is allowed; send a single SELECT with nothing after its semicolon.")]
    [InlineData("SELECT randomblob(1e9)", "A value grew past the 1000000-byte limit (string or blob too big); return smaller values.")]
    [InlineData("SELEC 1", "SQLite could not run the query: near \"SELEC\": syntax error.")]
    public async Task ARefusedOrFailedQueryExitsOneWithOneSentenceAndLeavesTheFileAlone(string query, string sentence)
    {
        var before = SHA256.HashData(File.ReadAllBytes(_database));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "sql", _database, query);

        result.AssertOneSentenceFailure(1);
        Assert.Equal(sentence, result.StderrLines[0]);
        Assert.Empty(result.Stdout);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(_database)));
    }

    [Fact]
    public async Task AMissingDatabaseIsAUsageErrorAndNoFileIsCreated()
    {
        var missing = _folder.PathOf("missing.sqlite");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "sql", missing, "SELECT 1");

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"Database file '{missing}' does not exist; give the path of an SQLite file.", result.StderrLines[0]);
        Assert.False(File.Exists(missing));
    }
}
