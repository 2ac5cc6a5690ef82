using System.Text.Json;
using Agents.Testing;
using Agents.Testing.OpenAI;

namespace Agents.Playground.Tests.Commands;

public sealed class SearchCommandTests(SampleStoreFixture fixture) : IClassFixture<SampleStoreFixture>
{
    private const string Store = SampleStoreFixture.Store;

    [Fact]
    public async Task PrintsRankedHitsWithTheirIdsPositionsAndText()
    {
        var result = await SearchAsync("lighthouse keepers");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Empty(result.Stderr);
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Equal(0, lines.Length % 2);
        Assert.Equal("1. [docs/page.html#0] Lighthouse keepers · score", lines[0][..lines[0].LastIndexOf(' ')]);
        for (var i = 0; i < lines.Length; i += 2)
        {
            Assert.Matches($@"^{(i / 2) + 1}\. \[docs/[a-z]+\.(md|pdf|txt|html)#\d+\] .+ · score [\d.]+$", lines[i]);
            Assert.StartsWith("   ", lines[i + 1]);
        }

        Assert.Contains("trimmed the lamp wick every night", lines[1]);
    }

    [Theory]
    [InlineData("hybrid")]
    [InlineData("vector")]
    [InlineData("keyword")]
    public async Task EveryModeFindsTheDocumentAboutTheQueryWithTheStoresOwnModel(string mode)
    {
        // No --embedding-model: vector and hybrid embed the query with the model the store recorded (hash-384).
        var hits = await SearchJsonAsync("turbine rotor", "--mode", mode, "--top", "2");

        Assert.InRange(hits.Count, 1, 2);
        Assert.Equal("docs/manual.pdf#0", hits[0].GetProperty("id").GetString());
        Assert.Equal("page 1", hits[0].GetProperty("position").GetString());
        Assert.Contains("3000 rpm", hits[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task JsonHasTheContractShapeBestFirstAndHonoursTop()
    {
        var hits = await SearchJsonAsync("penguins huddle in the Antarctic", "--mode", "vector", "--top", "3");

        Assert.Equal(3, hits.Count);
        Assert.All(hits, hit =>
        {
            Assert.Equal(["id", "source", "position", "score", "text"], hit.EnumerateObject().Select(p => p.Name));
            var source = hit.GetProperty("source").GetString()!;
            Assert.Contains(source, SampleDocuments.Files.Select(f => "docs/" + f));
            Assert.Matches($@"^{source}#\d+$", hit.GetProperty("id").GetString());
            Assert.NotEmpty(hit.GetProperty("text").GetString()!);
        });
        var scores = hits.Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal("docs/notes.txt#0", hits[0].GetProperty("id").GetString());
        Assert.Equal("docs/notes.txt", hits[0].GetProperty("source").GetString());
        Assert.StartsWith("chars 0-", hits[0].GetProperty("position").GetString());

        var one = await SearchJsonAsync("penguins huddle in the Antarctic", "--top", "1");
        Assert.Equal("docs/notes.txt#0", Assert.Single(one).GetProperty("id").GetString());
    }

    [Fact]
    public async Task QueriesThatLookLikeSyntaxAreSearchedAsWords()
    {
        string[] queries = ["\"", "penguins AND", "NEAR(penguins", "text:penguins*", "^ ( ) - + *", "'; DROP TABLE chunks; --"];
        foreach (var query in queries)
        {
            var hits = await SearchJsonAsync(query);

            if (query.Contains("penguins", StringComparison.Ordinal))
            {
                Assert.Contains("docs/notes.txt#0", hits.Select(h => h.GetProperty("id").GetString()));
            }
        }

        // The store is untouched: keyword search still finds what it found before.
        var after = await SearchJsonAsync("penguins", "--mode", "keyword");
        Assert.Equal("docs/notes.txt#0", Assert.Single(after).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AnEmptyQueryExitsTwoWithOneSentence(string query)
    {
        var result = await SearchAsync(query);

        result.AssertOneSentenceFailure(2);
        Assert.Equal("The search query is empty; say what to look for.", result.Stderr.Trim());
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("--top 0 is out of range; use 1 to 100", "--top", "0")]
    [InlineData("--mode 'fuzzy' is unknown; use hybrid, vector or keyword", "--mode", "fuzzy")]
    [InlineData("The ONNX embedding model folder '/models/e5' does not exist; pass --embedding-model onnx:PATH", "--embedding-model", "onnx:/models/e5")]
    [InlineData("Embedding model 'hash:2' is not valid; use hash or hash:DIMENSIONS", "--embedding-model", "hash:2")]
    public async Task BadFlagsExitTwoWithOneSentence(string words, params string[] flags)
    {
        var result = await SearchAsync("penguins", flags);

        result.AssertOneSentenceFailure(2);
        Assert.Contains(words, result.Stderr);
    }

    [Theory]
    [InlineData("hybrid")]
    [InlineData("keyword")]
    public async Task AMissingStoreExitsTwoAndIsNotCreated(string mode)
    {
        var result = await AgentsProcess.RunAsync(fixture.Folder.Path, null, "search", "nowhere.db", "penguins", "--mode", mode);

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"There is no document store at '{fixture.Folder.PathOf("nowhere.db")}'; create one with 'agents ingest {fixture.Folder.PathOf("nowhere.db")} FILES...'.", result.Stderr.Trim());
        Assert.False(File.Exists(fixture.Folder.PathOf("nowhere.db")));
    }

    [Theory]
    [InlineData("text.db", "is not a document store (not a SQLite database).")]
    [InlineData("empty.db", "is not a document store (an empty file); create one with 'agents ingest")]
    [InlineData("chinook.sqlite", "is an SQLite database but not a document store; it was left unchanged.")]
    public async Task AFileThatIsNotAStoreExitsTwoAndIsLeftUnchanged(string name, string words)
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(name);
        switch (name)
        {
            case "text.db":
                File.WriteAllText(path, "Shopping list: eggs, flour, milk, and enough other words to fill a page header.");
                break;
            case "empty.db":
                File.WriteAllBytes(path, []);
                break;
            default:
                File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "chinook.sqlite"), path);
                break;
        }

        var before = File.ReadAllBytes(path);

        var result = await AgentsProcess.RunAsync(folder.Path, null, "search", name, "penguins");

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"{path} {words}", result.Stderr.Trim()[..(path.Length + 1 + words.Length)]);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([name], Directory.EnumerateFiles(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("hash:128", "hash-128")]
    [InlineData("text-embedding-3-small", "text-embedding-3-small")]
    public async Task AnotherEmbeddingModelThanTheStoresExitsTwoNamingBoth(string flag, string canonical)
    {
        // Refused before any query is embedded: the closed port would fail the hosted model otherwise.
        var result = await SearchAsync("penguins", "--embedding-model", flag, "--endpoint", $"http://127.0.0.1:{LoopbackPorts.Closed()}/v1");

        result.AssertOneSentenceFailure(2);
        Assert.StartsWith($"{fixture.Folder.PathOf(Store)} was built with embedding model 'hash-384' (384 dimensions), but '{canonical}' was given;", result.Stderr);
        Assert.Contains("Use 'hash-384', or ingest into a new store.", result.Stderr);
    }

    [Fact]
    public async Task AHostedModelsStoreIsSearchedThroughTheServerOrByKeywordWithoutOne()
    {
        using var folder = new TempFolder();
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Embedder = SampleDocuments.Embed;
        await SampleDocuments.IngestAsync(folder.Path, "hosted.db", "--embedding-model", "text-embedding-3-small", "--endpoint", server.BaseUrl.ToString());
        var ingestRequests = server.RequestCount;

        // No word in common with the notes: only the server's vectors, which know the topic, can find them.
        var byMeaning = await SearchJsonInAsync(folder.Path, "hosted.db", "flightless birds", "--mode", "vector", "--endpoint", server.BaseUrl.ToString());
        Assert.Equal("docs/notes.txt#0", byMeaning[0].GetProperty("id").GetString());
        var query = Assert.Single(server.Requests.Skip(ingestRequests));
        Assert.Equal("text-embedding-3-small", query.Body.GetProperty("model").GetString());
        Assert.Equal(["flightless birds"], query.EmbeddingInputs);

        var byKeyword = await SearchJsonInAsync(folder.Path, "hosted.db", "lighthouse", "--mode", "keyword");
        Assert.Equal("docs/page.html#0", byKeyword[0].GetProperty("id").GetString());
        Assert.Equal(ingestRequests + 1, server.RequestCount);

        var noServer = await AgentsProcess.RunAsync(folder.Path, null, "search", "hosted.db", "lighthouse");
        noServer.AssertOneSentenceFailure(2);
        Assert.StartsWith("Embedding model 'text-embedding-3-small' is hosted, but no server is set;", noServer.Stderr);
        Assert.Contains("--mode keyword", noServer.Stderr);
    }

    private Task<ProcessResult> SearchAsync(string query, params string[] flags) =>
        AgentsProcess.RunAsync(fixture.Folder.Path, null, ["search", Store, query, .. flags]);

    private Task<List<JsonElement>> SearchJsonAsync(string query, params string[] flags) =>
        SearchJsonInAsync(fixture.Folder.Path, Store, query, flags);

    private static async Task<List<JsonElement>> SearchJsonInAsync(string folder, string store, string query, params string[] flags)
    {
        var result = await AgentsProcess.RunAsync(folder, null, ["search", store, query, "--json", .. flags]);
        Assert.True(result.ExitCode == 0, $"search '{query}' exited {result.ExitCode}: {result.Stderr}");
        Assert.Empty(result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(["hits"], json.RootElement.EnumerateObject().Select(p => p.Name));
        return [.. json.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.Clone())];
    }
}
