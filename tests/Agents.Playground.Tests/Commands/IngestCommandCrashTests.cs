using System.Text;
using System.Text.Json;
using Agents.Retrieval;
using Agents.Testing;
using Agents.Testing.OpenAI;
using Microsoft.Data.Sqlite;

namespace Agents.Playground.Tests.Commands;

/// <summary>
/// DESIGN.md: "a crash in the middle of an ingest" loses nothing. The real console is killed hard (no chance to clean
/// up) while it ingests, at several points, then run again; the store must then hold every file exactly once.
/// </summary>
public sealed class IngestCommandCrashTests : IAsyncLifetime
{
    private const int Files = 200;

    // Each passage's embedding takes this long, so an ingest of all files takes seconds: the kill always lands while
    // files remain (with the instant offline model, a busy test machine could read the progress line too late).
    private static readonly TimeSpan EmbeddingTime = TimeSpan.FromMilliseconds(5);
    private const int Sections = 4;
    private readonly TempFolder _folder = new();
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        WriteDocuments();
        _server = await FakeOpenAIServer.StartAsync();
        _server.Embedder = text =>
        {
            Thread.Sleep(EmbeddingTime);
            return SampleDocuments.Embed(text);
        };
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task AnIngestKilledMidwayIsCompletedByTheNextWithEveryFileOnce()
    {
        // The first kill lands in the very first document, while the store's tables are being made.
        foreach (var progressLines in new[] { 1, 3, 8, 15 })
        {
            await IngestUntilKilledAsync(progressLines);
            // Every file before the one the last progress line named had been committed when the process died.
            Assert.InRange((await ReadStoreAsync()).Documents, progressLines - 1, Files);
        }

        var result = await AgentsProcess.RunAsync(_folder.Path, null, [.. IngestArguments, "--json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var summary = json.RootElement;
        Assert.Equal(Files, summary.GetProperty("files").GetInt32());
        Assert.Equal(0, summary.GetProperty("updated").GetInt32());

        var unchanged = summary.GetProperty("unchanged").GetInt32();
        Assert.InRange(unchanged, 14, Files - 1);
        Assert.Equal(Files - unchanged, summary.GetProperty("added").GetInt32());

        var store = await ReadStoreAsync();
        Assert.Equal(Files, store.Documents);
        Assert.Equal(summary.GetProperty("store").GetProperty("passages").GetInt64(), store.Chunks);

        var search = await AgentsProcess.RunAsync(_folder.Path, null, "search", "store.db", $"marker{Files - 1}x{Sections - 1}", "--mode", "keyword", "--json", "--top", "1");
        Assert.True(search.ExitCode == 0, search.Stderr);
        using var hits = JsonDocument.Parse(search.Stdout);
        Assert.Equal($"docs/doc{Files - 1:000}.md", Assert.Single(hits.RootElement.GetProperty("hits").EnumerateArray()).GetProperty("source").GetString());
    }

    /// <summary>Starts an ingest and kills it (SIGKILL, the whole process tree) as soon as it reports starting its Nth file.</summary>
    private async Task IngestUntilKilledAsync(int progressLines)
    {
        using var process = AgentsProcess.Start(_folder.Path, IngestArguments);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = 0;
        var stderr = new StringBuilder();
        while (seen < progressLines && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            stderr.AppendLine(line);
            if (line.StartsWith('['))
            {
                seen++;
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        Assert.True(seen == progressLines, $"ingest ended after {seen} of {progressLines} progress lines; stderr: {stderr}");
        Assert.NotEqual(0, process.ExitCode);
    }

    private string[] IngestArguments =>
        ["ingest", "store.db", "docs", "--embedding-model", "text-embedding-3-small", "--endpoint", _server.BaseUrl.ToString()];

    /// <summary>
    /// Reads the store's file directly (read-only) and checks it is whole: SQLite's and FTS5's own integrity checks, one
    /// row per passage id, every passage belonging to a recorded document, and each document's passage count matching.
    /// </summary>
    private async Task<(int Documents, long Chunks)> ReadStoreAsync()
    {
        var path = _folder.PathOf("store.db");
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar<string>(connection, "PRAGMA integrity_check"));
        var documents = (int)Scalar<long>(connection, "SELECT count(*) FROM documents");
        if (Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks'") == 0)
        {
            // Killed before the first passage was written: no passages, so no document may claim any.
            Assert.Equal(0, documents);
            return (0, 0);
        }

        var chunks = Scalar<long>(connection, "SELECT count(*) FROM chunks");
        Assert.Equal(chunks, Scalar<long>(connection, "SELECT coalesce(sum(chunks), 0) FROM documents"));
        Assert.Equal(chunks, Scalar<long>(connection, "SELECT count(DISTINCT Id) FROM chunks"));
        Assert.Equal(0, Scalar<long>(connection, "SELECT count(*) FROM chunks WHERE Source NOT IN (SELECT source FROM documents)"));
        Assert.Equal(0, Scalar<long>(connection, "SELECT count(*) FROM documents d WHERE d.chunks <> (SELECT count(*) FROM chunks c WHERE c.Source = d.source)"));
        Assert.Equal(0, Scalar<long>(connection, "SELECT count(*) FROM chunks WHERE Id <> Source || '#' || \"Index\""));
        await CheckFullTextIndexAsync(path);
        return (documents, chunks);
    }

    /// <summary>
    /// FTS5's integrity check is a write statement, so it runs on a copy of the file and its write-ahead log: first of the
    /// index as the kill left it (passages written since the last catch-up are not in it yet), then, once the store has
    /// caught up as the next search or ingest would, that it holds exactly the passages' text.
    /// </summary>
    private async Task CheckFullTextIndexAsync(string path)
    {
        var copy = _folder.PathOf("check.db");
        File.Copy(path, copy, overwrite: true);
        File.Delete(copy + "-wal");
        if (File.Exists(path + "-wal"))
        {
            File.Copy(path + "-wal", copy + "-wal");
        }

        CheckFullTextIndex(copy, matchesContent: false);
        using (var store = await DocumentStore.OpenAsync(copy))
        {
            await store.UpdateFullTextIndexAsync();
        }

        SqliteConnection.ClearAllPools();
        CheckFullTextIndex(copy, matchesContent: true);
    }

    private static void CheckFullTextIndex(string path, bool matchesContent)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = $"INSERT INTO chunks__fts(chunks__fts, rank) VALUES('integrity-check', {(matchesContent ? 1 : 0)})";
        check.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>Markdown files of a few passages each, with a word unique to each section (<c>marker12x3</c>).</summary>
    private void WriteDocuments()
    {
        string[] words = ["river", "mountain", "forest", "ocean", "desert", "valley", "harbor", "bridge", "meadow", "glacier", "canyon", "island"];
        var random = new Random(7);
        Directory.CreateDirectory(_folder.PathOf("docs"));
        for (var file = 0; file < Files; file++)
        {
            var text = new StringBuilder($"# Document {file}\n\n");
            for (var section = 0; section < Sections; section++)
            {
                text.Append($"## Section {section}\n\n");
                text.AppendJoin(' ', Enumerable.Range(0, 100).Select(_ => words[random.Next(words.Length)]));
                text.Append($" marker{file}x{section}.\n\n");
            }

            File.WriteAllText(_folder.PathOf($"docs/doc{file:000}.md"), text.ToString());
        }
    }
}
