using System.Text.Json;
using Agents.Testing;
using Agents.Testing.OpenAI;

namespace Agents.Playground.Tests.Commands;

public sealed class IngestCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public IngestCommandTests() => SampleDocuments.WriteTo(_folder.PathOf("docs"));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task IngestsEveryKindOfDocumentWithOneProgressLinePerFile()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var summary = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^4 files: 4 added, 0 updated, 0 unchanged, 0 failed; (\d+) passages in [\d.]+ s \([\d,]+/s\)\. The store holds 4 documents, \1 passages\.$", summary);

        // Redirected, the progress bar becomes one line per file, in the order the files are ingested.
        Assert.Contains("Embedding with 'hash-384' (offline", result.StderrLines[0]);
        var progress = result.StderrLines.Skip(1).ToArray();
        Assert.Equal(SampleDocuments.Files.Select((f, i) => $"[{i + 1}/4] docs/{f}"), progress.Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.All(progress, l => Assert.Matches(@" \([\d,]+ passages so far, [\d,]+/s\)$", l));
    }

    [Fact]
    public async Task ReingestSkipsUnchangedFilesAndReplacesAChangedOne()
    {
        var first = await IngestJsonAsync();
        var passages = first.GetProperty("passages").GetInt64();
        Assert.Equal(["files", "added", "updated", "unchanged", "failed", "passages", "seconds", "store"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal((4, 4, 0, 0), Counts(first));
        Assert.Empty(first.GetProperty("failed").EnumerateArray());
        Assert.True(passages >= 4, $"{passages} passages for 4 documents");
        var store = first.GetProperty("store");
        Assert.Equal(["documents", "passages", "embeddingModel", "dimensions"], store.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, store.GetProperty("documents").GetInt32());
        Assert.Equal(passages, store.GetProperty("passages").GetInt64());
        Assert.Equal("hash-384", store.GetProperty("embeddingModel").GetString());
        Assert.Equal(384, store.GetProperty("dimensions").GetInt32());

        var again = await IngestJsonAsync();
        Assert.Equal((4, 0, 0, 4), Counts(again));
        Assert.Equal(0, again.GetProperty("passages").GetInt64());
        Assert.Equal(passages, again.GetProperty("store").GetProperty("passages").GetInt64());

        // Three passages where there was one: the old passage is replaced, not kept beside the new ones.
        var notes = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"Section {i}. " + string.Join(' ', Enumerable.Repeat($"walrus{i} colonies gather on the ice floes.", 60))));
        _folder.Write("docs/notes.txt", notes);
        var changed = await IngestJsonAsync();
        Assert.Equal((4, 0, 1, 3), Counts(changed));
        var written = changed.GetProperty("passages").GetInt64();
        Assert.True(written > 1, $"the longer notes.txt became {written} passages");
        Assert.Equal(passages - 1 + written, changed.GetProperty("store").GetProperty("passages").GetInt64());
        Assert.Equal(4, changed.GetProperty("store").GetProperty("documents").GetInt32());

        var gone = await AgentsProcess.RunAsync(_folder.Path, null, "search", "store.db", "penguins", "--mode", "keyword");
        Assert.True(gone.ExitCode == 0, gone.Stderr);
        Assert.Equal("No passages match.", gone.Stdout.Trim());
    }

    [Fact]
    public async Task AnUnreadableFileIsReportedAndTheOthersAreIngested()
    {
        _folder.Write("docs/broken.pdf", "this is not a PDF at all");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs");

        Assert.True(result.ExitCode == 1, result.Stderr);
        Assert.StartsWith("5 files: 4 added, 0 updated, 0 unchanged, 1 failed;", result.Stdout);
        Assert.StartsWith("Could not read 'docs/broken.pdf' as a PDF", result.StderrLines[^1]);
        Assert.DoesNotContain("Exception", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);

        var output = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs", "--json");
        Assert.True(output.ExitCode == 1, output.Stderr);
        Assert.Contains("\"error\": \"Could not read 'docs/broken.pdf' as a PDF", output.Stdout);
        using var document = JsonDocument.Parse(output.Stdout);
        var json = document.RootElement;
        Assert.Equal((5, 0, 0, 4), Counts(json));
        var failure = Assert.Single(json.GetProperty("failed").EnumerateArray());
        Assert.Equal("docs/broken.pdf", failure.GetProperty("source").GetString());
        Assert.StartsWith("Could not read 'docs/broken.pdf' as a PDF", failure.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AMissingPathExitsTwoWithOneSentenceAndWritesNothing()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs", "nowhere");

        result.AssertOneSentenceFailure(2);
        Assert.Equal("'nowhere' is neither a file nor a folder; nothing was ingested.", result.Stderr.Trim());
        Assert.False(File.Exists(_folder.PathOf("store.db")));
    }

    [Theory]
    [InlineData("--chunk-tokens 5 / --overlap-tokens 32 are out of range", "--chunk-tokens", "5")]
    [InlineData("--chunk-tokens 9000 / --overlap-tokens 32 are out of range", "--chunk-tokens", "9000")]
    [InlineData("--chunk-tokens 64 / --overlap-tokens 33 are out of range", "--chunk-tokens", "64", "--overlap-tokens", "33")]
    [InlineData("--overlap-tokens -1 are out of range", "--overlap-tokens", "-1")]
    [InlineData("Cannot parse argument 'many' for option '--chunk-tokens'", "--chunk-tokens", "many")]
    public async Task BadPassageSizesExitTwoWithOneSentence(string words, params string[] flags)
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, ["ingest", "store.db", "docs", .. flags]);

        result.AssertOneSentenceFailure(2);
        Assert.Contains(words, result.Stderr);
        Assert.False(File.Exists(_folder.PathOf("store.db")));
    }

    [Fact]
    public async Task AnSQLiteDatabaseThatIsNotAStoreIsLeftUnchanged()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "chinook.sqlite"), _folder.PathOf("chinook.sqlite"));
        var before = File.ReadAllBytes(_folder.PathOf("chinook.sqlite"));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "chinook.sqlite", "docs");

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"{_folder.PathOf("chinook.sqlite")} is an SQLite database but not a document store; it was left unchanged. Give a new file name to make a store.", result.Stderr.Trim());
        Assert.Equal(before, File.ReadAllBytes(_folder.PathOf("chinook.sqlite")));
    }

    [Fact]
    public async Task AHostedEmbeddingModelWithoutAServerExitsTwoAndCreatesNoStore()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs", "--embedding-model", "text-embedding-3-small");

        result.AssertOneSentenceFailure(2);
        Assert.Contains("Embedding model 'text-embedding-3-small' is hosted, but no server is set; pass --endpoint URL", result.Stderr);
        Assert.DoesNotContain("--mode keyword", result.Stderr);
        Assert.False(File.Exists(_folder.PathOf("store.db")));
    }

    [Fact]
    public async Task EmbedsThroughAHostedModelAndRecordsIt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Embedder = SampleDocuments.Embed;

        var json = await IngestJsonAsync("--embedding-model", "text-embedding-3-small", "--endpoint", server.BaseUrl.ToString(), "--api-key", "k-emb");

        Assert.Equal((4, 4, 0, 0), Counts(json));
        Assert.Equal("text-embedding-3-small", json.GetProperty("store").GetProperty("embeddingModel").GetString());
        Assert.Equal(SampleDocuments.Embed("").Length, json.GetProperty("store").GetProperty("dimensions").GetInt32());
        Assert.NotEmpty(server.Requests);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("/v1/embeddings", r.Path);
            Assert.Equal("text-embedding-3-small", r.Body.GetProperty("model").GetString());
            Assert.Equal("Bearer k-emb", r.Authorization);
        });
        var embedded = server.Requests.SelectMany(r => r.EmbeddingInputs).ToList();
        Assert.Equal(json.GetProperty("passages").GetInt64(), embedded.Count);
        Assert.Contains(embedded, text => text.Contains("penguins huddle", StringComparison.Ordinal));

        // The store remembers its model: a re-ingest needs no --embedding-model, only the server.
        var again = await IngestJsonAsync("--endpoint", server.BaseUrl.ToString());
        Assert.Equal((4, 0, 0, 4), Counts(again));
        Assert.Equal("text-embedding-3-small", again.GetProperty("store").GetProperty("embeddingModel").GetString());
    }

    [Fact]
    public async Task EmbedsWithALocalOnnxModelThatSearchIsGivenAgain()
    {
        _folder.CopyFolder(Path.Combine(AppContext.BaseDirectory, "models", "tiny-bert"), "models/tiny-bert");

        var ingest = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs", "--json", "--embedding-model", "onnx:models/tiny-bert");

        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.Equal("Embedding with 'onnx:tiny-bert' (passages of at most 64 tokens, the model's limit).", ingest.StderrLines[0]);
        using var summary = JsonDocument.Parse(ingest.Stdout);
        Assert.Equal((4, 4, 0, 0), Counts(summary.RootElement));
        Assert.Equal("onnx:tiny-bert", summary.RootElement.GetProperty("store").GetProperty("embeddingModel").GetString());
        Assert.Equal(32, summary.RootElement.GetProperty("store").GetProperty("dimensions").GetInt32());

        // A passage's own text embeds to its own vector: searching by it finds it first, with cosine 1.
        var keyword = await SearchJsonAsync("penguins", "--mode", "keyword");
        var passage = keyword[0];
        var vector = await SearchJsonAsync(passage.GetProperty("text").GetString()!, "--mode", "vector", "--embedding-model", "onnx:" + _folder.PathOf("models/tiny-bert"));
        Assert.Equal(passage.GetProperty("id").GetString(), vector[0].GetProperty("id").GetString());
        Assert.Equal(1.0, vector[0].GetProperty("score").GetDouble(), 4);
        var passages = summary.RootElement.GetProperty("passages").GetInt32();
        Assert.Equal(Math.Min(10, passages), (await SearchJsonAsync("penguins", "--top", "10", "--embedding-model", "onnx:models/tiny-bert")).Length);

        // The store records the folder's name, not its path: without the flag there is no folder of that name here.
        var unnamed = await AgentsProcess.RunAsync(_folder.Path, null, "search", "store.db", "penguins");
        unnamed.AssertOneSentenceFailure(2);
        Assert.Equal($"The ONNX embedding model folder '{_folder.PathOf("tiny-bert")}' does not exist; pass --embedding-model onnx:PATH with the model's folder (a store records the folder's name, not its path).", unnamed.Stderr.Trim());
    }

    [Fact]
    public async Task ADamagedOnnxModelExitsTwoNamingTheFileAndCreatesNoStore()
    {
        var model = _folder.PathOf("broken/model.onnx");
        _folder.CopyFolder(Path.Combine(AppContext.BaseDirectory, "models", "tiny-bert"), "broken");
        File.WriteAllText(model, "not a model");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "ingest", "store.db", "docs", "--embedding-model", "onnx:broken");

        result.AssertOneSentenceFailure(2);
        Assert.StartsWith($"'{model}' could not be loaded as an ONNX model; the file is damaged or incomplete", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf("store.db")));
    }

    private async Task<JsonElement[]> SearchJsonAsync(string query, params string[] flags)
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, ["search", "store.db", query, "--json", .. flags]);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.Clone())];
    }

    /// <summary>Runs <c>agents ingest store.db docs --json</c> with <paramref name="flags"/> and returns its summary.</summary>
    private async Task<JsonElement> IngestJsonAsync(params string[] flags)
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, ["ingest", "store.db", "docs", "--json", .. flags]);
        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    private static (int Files, int Added, int Updated, int Unchanged) Counts(JsonElement summary) => (
        summary.GetProperty("files").GetInt32(),
        summary.GetProperty("added").GetInt32(),
        summary.GetProperty("updated").GetInt32(),
        summary.GetProperty("unchanged").GetInt32());
}
