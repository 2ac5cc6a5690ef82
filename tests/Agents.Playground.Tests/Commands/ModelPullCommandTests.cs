using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Playground.Tests.Commands;

public sealed class ModelPullCommandTests : IAsyncLifetime
{
    private static readonly byte[] Weights = RandomBytes(200_000, seed: 31);

    private readonly TempFolder _folder = new();
    private FakeModelHub _hub = null!;

    private string Destination => _folder.PathOf("models");

    public async Task InitializeAsync()
    {
        _hub = await FakeModelHub.StartAsync();
        _hub.AddRepository(
            "acme/tiny-llama-onnx",
            "main",
            new HubRepoFile("cpu/genai_config.json", Encoding.UTF8.GetBytes(TinyModelFolders.GenAIConfig), Lfs: false),
            new HubRepoFile("cpu/model.onnx", File.ReadAllBytes(TinyModelFolders.TinyOnnx)),
            new HubRepoFile("cpu/tokenizer.json", Encoding.UTF8.GetBytes("{}"), Lfs: false),
            new HubRepoFile("cuda/model.onnx", Weights));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Pulls_a_url_checks_its_sha256_and_prints_a_line_per_file_and_a_summary()
    {
        var url = _hub.AddFile("model.onnx", Weights);

        var result = await Pull(url.AbsoluteUri, "--to", Destination, "--sha256", FakeModelHub.Sha256(Weights));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
        Assert.Equal("[1/1] model.onnx", Assert.Single(result.StderrLines));
        Assert.Contains("model.onnx   195.3 KiB  downloaded       sha256 verified", result.Stdout);
        Assert.Contains($"1 files in {Destination}; 195.3 KiB received in ", result.Stdout);
    }

    [Fact]
    public async Task Json_prints_a_summary_of_every_file()
    {
        var url = _hub.AddFile("model.onnx", Weights);

        var result = await Pull(url.AbsoluteUri, "--to", Destination, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(Destination, json.GetProperty("destination").GetString());
        var file = Assert.Single(json.GetProperty("files").EnumerateArray());
        Assert.Equal(("model.onnx", 200_000, "downloaded", false), (file.GetProperty("path").GetString(), file.GetProperty("bytes").GetInt32(), file.GetProperty("status").GetString(), file.GetProperty("verified").GetBoolean()));
        Assert.Equal(FakeModelHub.Sha256(Weights), file.GetProperty("sha256").GetString());
        Assert.Equal(200_000, json.GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task Pulls_a_repository_folder_from_the_hub_and_names_the_model_folder()
    {
        var result = await Pull("acme/tiny-llama-onnx", "--include", "cpu/*", "--hub-url", _hub.BaseUrl.AbsoluteUri, "--to", Destination);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([$"[1/3] cpu/genai_config.json ({Encoding.UTF8.GetByteCount(TinyModelFolders.GenAIConfig)} bytes)", "[2/3] cpu/model.onnx (2.4 KiB)", "[3/3] cpu/tokenizer.json (2 bytes)"], result.StderrLines);
        var folder = Path.Combine(Destination, "cpu");
        Assert.Contains($"Model folder: {folder} (use it with --model onnx:{folder}, or 'agents model info {folder}').", result.Stdout);
        Assert.False(Directory.Exists(Path.Combine(Destination, "cuda")));

        var again = await Pull("acme/tiny-llama-onnx", "--include", "cpu/*", "--hub-url", _hub.BaseUrl.AbsoluteUri, "--to", Destination, "--json");

        Assert.Equal(["already present", "already present", "already present"], JsonDocument.Parse(again.Stdout).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_repository_without_to_goes_into_the_model_cache_from_agents_models()
    {
        var cache = _folder.PathOf("cache");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, new Dictionary<string, string> { ["AGENTS_MODELS"] = cache, ["HF_ENDPOINT"] = _hub.BaseUrl.AbsoluteUri }, "model", "pull", "acme/tiny-llama-onnx", "--include", "cpu");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(cache, "acme", "tiny-llama-onnx", "cpu", "model.onnx")));
    }

    [Fact]
    public async Task An_interrupted_pull_fails_in_one_sentence_and_the_next_pull_resumes()
    {
        var url = _hub.AddFile("model.onnx", Weights);
        _hub.FailNext(url, HubFault.CutAfter(50_000));

        var cut = await Pull(url.AbsoluteUri, "--to", Destination, "--attempts", "1");

        AssertFailureAfterProgress(cut);
        Assert.StartsWith("Downloading model.onnx failed after 1 attempt: ", cut.StderrLines[^1]);
        Assert.EndsWith("what arrived is kept, so pulling again resumes it.", cut.StderrLines[^1]);
        var kept = new FileInfo(Path.Combine(Destination, "model.onnx.partial")).Length;

        var resumed = await Pull(url.AbsoluteUri, "--to", Destination, "--sha256", FakeModelHub.Sha256(Weights));

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"already on disk", resumed.Stderr);
        Assert.Contains("resumed", resumed.Stdout);
        Assert.Equal($"bytes={kept}-", _hub.Requests[^1].Range);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
    }

    [Fact]
    public async Task Ctrl_c_keeps_the_partial_download_and_the_next_pull_resumes_it()
    {
        var url = _hub.AddFile("model.onnx", Weights);
        _hub.FailNext(url, HubFault.StallAfter(60_000));
        var partial = Path.Combine(Destination, "model.onnx.partial");

        using (var process = AgentsProcess.Start(_folder.Path, "model", "pull", url.AbsoluteUri, "--to", Destination))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            // The server has sent 60,000 bytes and then nothing: once they are on disk the pull is mid-file.
            var deadline = Stopwatch.StartNew();
            while (!(File.Exists(partial) && new FileInfo(partial).Length == 60_000))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the pull never wrote the first 60,000 bytes");
                await Task.Delay(20);
            }

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(1, process.ExitCode);
            Assert.Equal($"Cancelled; what arrived is kept in {Destination}, and the same pull resumes it.", (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());
        }

        Assert.Equal(60_000, new FileInfo(partial).Length);

        var resumed = await Pull(url.AbsoluteUri, "--to", Destination, "--sha256", FakeModelHub.Sha256(Weights));

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("bytes=60000-", _hub.Requests[^1].Range);
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
    }

    [Fact]
    public async Task A_wrong_sha256_fails_in_one_sentence_and_puts_nothing_in_place()
    {
        var url = _hub.AddFile("model.onnx", Weights);

        var result = await Pull(url.AbsoluteUri, "--to", Destination, "--sha256", new string('a', 64));

        AssertFailureAfterProgress(result);
        Assert.StartsWith($"model.onnx has SHA-256 {FakeModelHub.Sha256(Weights)}, not the expected {new string('a', 64)};", result.StderrLines[^1]);
        Assert.Empty(Directory.EnumerateFiles(Destination));
    }

    [Fact]
    public async Task A_missing_file_fails_in_one_sentence()
    {
        var url = _hub.FileUrl("missing.onnx");

        var result = await Pull(url.AbsoluteUri, "--to", Destination);

        AssertFailureAfterProgress(result);
        Assert.Equal($"{url} was not found (HTTP 404 Not Found); check the URL, or the repository id, revision and path.", result.StderrLines[^1]);
    }

    [Fact]
    public async Task A_gated_repository_asks_for_a_token_and_hf_token_opens_it()
    {
        _hub.RequiredToken = "hf_secret";

        var refused = await Pull("acme/tiny-llama-onnx", "--include", "cpu/*", "--hub-url", _hub.BaseUrl.AbsoluteUri, "--to", Destination);

        refused.AssertOneSentenceFailure(1);
        Assert.EndsWith("refused access (HTTP 401 Unauthorized): the repository is gated or private, or the token may not read it; accept its terms on the model's page and pass an access token with --token or HF_TOKEN.", refused.StderrLines[0]);

        var allowed = await AgentsProcess.RunAsync(_folder.Path, null, new Dictionary<string, string> { ["HF_TOKEN"] = "hf_secret" },
            "model", "pull", "acme/tiny-llama-onnx", "--include", "cpu/*", "--hub-url", _hub.BaseUrl.AbsoluteUri, "--to", Destination);

        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.All(_hub.Requests.Skip(1), r => Assert.Equal("Bearer hf_secret", r.Authorization));
    }

    [Fact]
    public async Task A_hostile_listing_writes_nothing_outside_the_destination()
    {
        _hub.SetListing("acme/hostile", "main", """[{"type": "file", "path": "../../escaped.onnx", "size": 5}]""");

        var result = await Pull("acme/hostile", "--hub-url", _hub.BaseUrl.AbsoluteUri, "--to", Destination);

        result.AssertOneSentenceFailure(1);
        Assert.Equal($"The source names the file '../../escaped.onnx', which would land outside {Destination}; nothing was downloaded.", result.StderrLines[0]);
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(_folder.Path)!, "escaped.onnx"));
    }

    [Theory]
    [InlineData(new[] { "http://127.0.0.1:1/model.onnx", "--sha256", "xyz" }, "--sha256 'xyz' is not a SHA-256; give 64 hexadecimal digits.")]
    [InlineData(new[] { "http://127.0.0.1:1/model.onnx" }, "Give --to DIR: the folder to download the files into.")]
    [InlineData(new[] { "http://127.0.0.1:1/model.onnx", "--to", "x", "--include", "cpu/*" }, "--include selects files of a Hugging Face repository; for URLs, list each file's URL instead.")]
    [InlineData(new[] { "./models/phi3", "--to", "x" }, "'./models/phi3' is neither an http(s) file URL nor a single Hugging Face repository id (owner/name); give URLs, or one repository with --include.")]
    [InlineData(new[] { "acme/model", "--sha256", "0000000000000000000000000000000000000000000000000000000000000000" }, "--sha256 checks a single file URL; a repository's files are checked against the hashes the hub lists.")]
    [InlineData(new[] { "acme/model", "--attempts", "0" }, "--attempts 0 is out of range; use 1 to 100; see 'agents model pull --help'.")]
    public async Task Wrong_arguments_are_usage_errors_in_one_sentence(string[] args, string message)
    {
        var result = await Pull(args);

        result.AssertOneSentenceFailure(2);
        Assert.Equal(message, result.StderrLines[0]);
    }

    /// <summary>
    /// The console contract for a failure mid-pull: the per-file progress lines so far, then exactly one sentence (the
    /// last line, which the caller checks), exit code 1, and no stack trace.
    /// </summary>
    private static void AssertFailureAfterProgress(ProcessResult result)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.All(result.StderrLines[..^1], line => Assert.Matches(@"^\[\d+/\d+\] ", line));
        Assert.DoesNotContain("Exception", result.StderrLines[^1]);
    }

    private Task<ProcessResult> Pull(params string[] args) => AgentsProcess.RunAsync(_folder.Path, null, ["model", "pull", .. args]);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
