using System.Text;
using Agents.Onnx.Downloads;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Onnx.Tests.Downloads;

public sealed class HuggingFaceDownloadTests : IAsyncLifetime
{
    private const string Repo = "acme/tiny-onnx";

    private static readonly byte[] Weights = ModelDownloaderTests.RandomBytes(50_000, seed: 21);
    private static readonly byte[] GpuWeights = ModelDownloaderTests.RandomBytes(40_000, seed: 22);
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"model\": {\"type\": \"llama\"}}");
    private static readonly byte[] Tokenizer = Encoding.UTF8.GetBytes("{\"model\": {\"type\": \"BPE\"}}");

    private readonly TempFolder _folder = new();
    private FakeModelHub _hub = null!;

    private string Destination => _folder.PathOf("models");

    public async Task InitializeAsync()
    {
        _hub = await FakeModelHub.StartAsync();
        _hub.AddRepository(
            Repo,
            "main",
            new HubRepoFile("README.md", Encoding.UTF8.GetBytes("# tiny"), Lfs: false),
            new HubRepoFile("cpu/genai_config.json", Config, Lfs: false),
            new HubRepoFile("cpu/model.onnx", Weights),
            new HubRepoFile("cpu/tokenizer.json", Tokenizer, Lfs: false),
            new HubRepoFile("gpu/model.onnx", GpuWeights));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Resolves_an_include_pattern_to_resolve_urls_with_sizes_and_lfs_hashes()
    {
        using var downloader = Downloader();

        var files = await downloader.ResolveAsync(new HuggingFaceSource(Repo, include: ["cpu/*"]));

        Assert.Equal(["cpu/genai_config.json", "cpu/model.onnx", "cpu/tokenizer.json"], files.Select(f => f.Path));
        var model = files.Single(f => f.Path == "cpu/model.onnx");
        Assert.Equal(_hub.RepoFileUrl(Repo, "main", "cpu/model.onnx"), model.Url);
        Assert.Equal((Weights.Length, FakeModelHub.Sha256(Weights)), (model.Size!.Value, model.Sha256));
        // A plain git file's oid is a SHA-1 of the blob, not of the bytes: no hash is claimed for it.
        Assert.Null(files.Single(f => f.Path == "cpu/genai_config.json").Sha256);
        Assert.Equal("api/models/acme/tiny-onnx/tree/main/cpu", Assert.Single(_hub.Requests).Path);
    }

    [Fact]
    public async Task Downloads_a_repository_folder_keeping_repository_paths_and_checking_hashes()
    {
        using var downloader = Downloader();
        var files = await downloader.ResolveAsync(new HuggingFaceSource(Repo, include: ["cpu"]));

        var result = await downloader.DownloadAsync(files, Destination);

        Assert.Equal(["cpu/genai_config.json", "cpu/model.onnx", "cpu/tokenizer.json"], ModelDownloaderTests.FilesIn(Destination));
        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(Destination, "cpu", "model.onnx")));
        Assert.Equal([false, true, false], result.Files.Select(f => f.Verified));
    }

    [Fact]
    public async Task An_interrupted_repository_file_resumes_on_the_next_pull_and_its_lfs_hash_matches()
    {
        using var downloader = Downloader();
        var files = await downloader.ResolveAsync(new HuggingFaceSource(Repo, include: ["cpu/model.onnx"]));
        _hub.FailNext(files[0].Url, HubFault.CutAfter(20_000));
        var cut = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(files, Destination));
        Assert.True(File.Exists(Path.Combine(Destination, "cpu", "model.onnx.partial")), cut.ToString());

        var result = await downloader.DownloadAsync(files, Destination);

        var file = Assert.Single(result.Files);
        Assert.Equal((DownloadedFileStatus.Resumed, true, FakeModelHub.Sha256(Weights)), (file.Status, file.Verified, file.Sha256));
        Assert.StartsWith("bytes=", _hub.Requests[^1].Range);
    }

    [Fact]
    public async Task Reads_every_page_of_a_paged_listing()
    {
        _hub.ListingPageSize = 2;
        using var downloader = Downloader();

        var files = await downloader.ResolveAsync(new HuggingFaceSource(Repo));

        Assert.Equal(["README.md", "cpu/genai_config.json", "cpu/model.onnx", "cpu/tokenizer.json", "gpu/model.onnx"], files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.True(_hub.Requests.Count > 2, $"{_hub.Requests.Count} listing requests");
    }

    [Fact]
    public async Task A_missing_repository_is_not_found_in_one_sentence()
    {
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.ResolveAsync(new HuggingFaceSource("acme/nothing", include: ["cpu/*"])));

        Assert.Equal(ModelDownloadFailure.NotFound, error.Failure);
        Assert.Equal("The hub has no repository acme/nothing at revision main (or no folder 'cpu' in it) (HTTP 404); check the repository id, the revision and the include patterns.", error.Message);
    }

    [Fact]
    public async Task A_pattern_that_matches_no_file_says_so()
    {
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.ResolveAsync(new HuggingFaceSource(Repo, include: ["cpu/*.bin"])));

        Assert.Equal(ModelDownloadFailure.InvalidSource, error.Failure);
        Assert.Equal("acme/tiny-onnx at revision main has no file matching 'cpu/*.bin'; check the include patterns against the repository's files.", error.Message);
    }

    [Fact]
    public async Task A_gated_repository_listing_asks_for_a_token()
    {
        _hub.RequiredToken = "hf_secret";
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.ResolveAsync(new HuggingFaceSource(Repo)));

        Assert.Equal(ModelDownloadFailure.Unauthorized, error.Failure);
        Assert.EndsWith("--token or HF_TOKEN.", error.Message);
    }

    [Theory]
    [InlineData("../escaped.onnx")]
    [InlineData("cpu/../../escaped.onnx")]
    [InlineData("/tmp/escaped.onnx")]
    [InlineData("C:/escaped.onnx")]
    [InlineData("cpu\\..\\..\\escaped.onnx")]
    public async Task A_listing_with_a_path_outside_the_destination_writes_nothing(string hostilePath)
    {
        _hub.SetListing("acme/hostile", "main", $$"""
            [
              {"type": "file", "path": "model.onnx", "size": 10, "oid": "x"},
              {"type": "file", "path": {{System.Text.Json.JsonSerializer.Serialize(hostilePath)}}, "size": 10, "oid": "y"}
            ]
            """);
        using var downloader = Downloader();
        var files = await downloader.ResolveAsync(new HuggingFaceSource("acme/hostile"));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(files, Destination));

        Assert.Equal(ModelDownloadFailure.InvalidSource, error.Failure);
        Assert.Contains("would land outside", error.Message);
        Assert.Single(_hub.Requests);
        Assert.False(Directory.Exists(Destination));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "escaped.onnx", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("{\"error\": \"not a list\"}", "it is not a JSON array")]
    [InlineData("[{\"type\": \"file\", \"size\": 3}]", "a file entry has no path")]
    [InlineData("[{\"type\": \"file\", \"path\": \"m.onnx\", \"lfs\": {\"oid\": \"not-a-hash\"}}]", "the LFS entry for 'm.onnx' has no SHA-256")]
    public async Task A_malformed_listing_is_a_clear_error(string listing, string why)
    {
        _hub.SetListing("acme/broken", "main", listing);
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.ResolveAsync(new HuggingFaceSource("acme/broken")));

        Assert.Equal($"The hub's file listing of acme/broken@main is malformed ({why}); check the hub URL.", error.Message);
    }

    private ModelDownloader Downloader() =>
        new(new ModelDownloadOptions { HubBaseUrl = _hub.BaseUrl, MaxAttempts = 1, RetryBaseDelay = TimeSpan.Zero });
}
