using Agents.Onnx.Downloads;
using Agents.Testing;
using Agents.Testing.Models;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Onnx.Tests.Downloads;

public sealed class ModelDownloaderTests : IAsyncLifetime
{
    private const int FileLength = 300_000;

    private readonly TempFolder _folder = new();
    private FakeModelHub _hub = null!;

    private string Destination => _folder.PathOf("models");

    public async Task InitializeAsync() => _hub = await FakeModelHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Downloads_a_file_verifies_its_sha256_and_leaves_no_partial_file()
    {
        var content = RandomBytes(FileLength, seed: 1);
        var url = _hub.AddFile("weights/model.onnx", content);
        using var downloader = Downloader();

        var result = await downloader.DownloadAsync([ModelFile.FromUrl(url, FakeModelHub.Sha256(content))], Destination);

        var file = Assert.Single(result.Files);
        Assert.Equal("model.onnx", file.Path);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
        Assert.Equal((DownloadedFileStatus.Downloaded, true, FileLength, (long)FileLength), (file.Status, file.Verified, file.Size, file.BytesReceived));
        Assert.Equal(FakeModelHub.Sha256(content), file.Sha256);
        Assert.Equal(["model.onnx"], FilesIn(Destination));
    }

    [Fact]
    public async Task A_cut_connection_keeps_the_partial_file_and_the_next_download_resumes_it_with_range()
    {
        var content = RandomBytes(FileLength, seed: 2);
        var url = _hub.AddFile("model.onnx", content);
        _hub.FailNext(url, HubFault.CutAfter(100_000));
        var file = ModelFile.FromUrl(url, FakeModelHub.Sha256(content));
        using var downloader = Downloader(maxAttempts: 1);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([file], Destination));

        Assert.Equal(ModelDownloadFailure.Interrupted, error.Failure);
        Assert.StartsWith("Downloading model.onnx failed after 1 attempt: ", error.Message);
        Assert.EndsWith("what arrived is kept, so pulling again resumes it.", error.Message);
        var partial = Path.Combine(Destination, "model.onnx" + ModelDownloader.PartialSuffix);
        var kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, FileLength - 1);
        Assert.False(File.Exists(Path.Combine(Destination, "model.onnx")));

        var result = await downloader.DownloadAsync([file], Destination);

        var resumed = Assert.Single(result.Files);
        Assert.Equal((DownloadedFileStatus.Resumed, FileLength - kept), (resumed.Status, resumed.BytesReceived));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
        var request = _hub.Requests[^1];
        Assert.Equal($"bytes={kept}-", request.Range);
        Assert.NotNull(request.IfRange);
        Assert.Equal(["model.onnx"], FilesIn(Destination));
    }

    [Fact]
    public async Task Retries_within_one_download_each_resume_where_the_last_attempt_stopped()
    {
        var content = RandomBytes(FileLength, seed: 3);
        var url = _hub.AddFile("model.onnx", content);
        _hub.FailNext(url, HubFault.CutAfter(80_000));
        _hub.FailNext(url, HubFault.CutAfter(80_000));
        using var downloader = Downloader(maxAttempts: 3);

        var result = await downloader.DownloadAsync([ModelFile.FromUrl(url, FakeModelHub.Sha256(content))], Destination);

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
        var requests = _hub.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.All(requests.Skip(1), r => Assert.StartsWith("bytes=", r.Range));
        Assert.True(result.BytesReceived < 2 * FileLength, $"received {result.BytesReceived} bytes: the retries started over instead of resuming");
    }

    [Fact]
    public async Task A_file_that_changed_on_the_server_restarts_from_the_first_byte_instead_of_splicing()
    {
        var before = RandomBytes(FileLength, seed: 4);
        var after = RandomBytes(FileLength, seed: 5);
        var url = _hub.AddFile("model.onnx", before);
        _hub.FailNext(url, HubFault.CutAfter(100_000));
        using var downloader = Downloader(maxAttempts: 1);
        await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([ModelFile.FromUrl(url)], Destination));
        _hub.AddFile("model.onnx", after);

        var result = await downloader.DownloadAsync([ModelFile.FromUrl(url)], Destination);

        Assert.Equal(after, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
        var file = Assert.Single(result.Files);
        Assert.Equal((DownloadedFileStatus.Downloaded, (long)FileLength), (file.Status, file.BytesReceived));
        Assert.StartsWith("bytes=", _hub.Requests[^1].Range);
    }

    [Fact]
    public async Task A_wrong_sha256_puts_nothing_in_place_and_says_which_hash_arrived()
    {
        var content = RandomBytes(FileLength, seed: 6);
        var url = _hub.AddFile("model.onnx", content);
        var wrong = new string('0', 64);
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([ModelFile.FromUrl(url, wrong)], Destination));

        Assert.Equal(ModelDownloadFailure.ChecksumMismatch, error.Failure);
        Assert.Equal(
            $"model.onnx has SHA-256 {FakeModelHub.Sha256(content)}, not the expected {wrong}; the download was discarded and nothing was put in place, so check the expected hash or the source.",
            error.Message);
        Assert.Empty(FilesIn(Destination));
    }

    [Fact]
    public async Task A_missing_file_is_not_found_in_one_sentence()
    {
        using var downloader = Downloader();
        var url = _hub.FileUrl("nowhere.onnx");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([ModelFile.FromUrl(url)], Destination));

        Assert.Equal((ModelDownloadFailure.NotFound, (int?)404), (error.Failure, error.StatusCode));
        Assert.Equal($"{url} was not found (HTTP 404 Not Found); check the URL, or the repository id, revision and path.", error.Message);
        Assert.Empty(FilesIn(Destination));
    }

    [Fact]
    public async Task A_gated_file_asks_for_a_token_and_downloads_with_one()
    {
        var content = RandomBytes(1000, seed: 7);
        var url = _hub.AddFile("gated.onnx", content);
        _hub.RequiredToken = "hf_secret";
        using var anonymous = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => anonymous.DownloadAsync([ModelFile.FromUrl(url)], Destination));

        Assert.Equal((ModelDownloadFailure.Unauthorized, (int?)401), (error.Failure, error.StatusCode));
        Assert.Contains("gated or private", error.Message);
        Assert.EndsWith("pass an access token with --token or HF_TOKEN.", error.Message);

        using var wrongToken = Downloader(token: "hf_other");
        var forbidden = await Assert.ThrowsAsync<ModelDownloadException>(() => wrongToken.DownloadAsync([ModelFile.FromUrl(url)], Destination));
        Assert.Equal(403, forbidden.StatusCode);

        using var authorized = Downloader(token: "hf_secret");
        await authorized.DownloadAsync([ModelFile.FromUrl(url)], Destination);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "gated.onnx")));
        Assert.Equal("Bearer hf_secret", _hub.Requests[^1].Authorization);
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times()
    {
        var content = RandomBytes(1000, seed: 8);
        var url = _hub.AddFile("model.onnx", content);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            _hub.FailNext(url, HubFault.Status(503));
        }

        using var giveUp = Downloader(maxAttempts: 3);
        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => giveUp.DownloadAsync([ModelFile.FromUrl(url)], Destination));

        Assert.Equal((ModelDownloadFailure.Interrupted, (int?)503), (error.Failure, error.StatusCode));
        Assert.StartsWith("Downloading model.onnx failed after 3 attempts: the server answered HTTP 503 Service Unavailable;", error.Message);
        Assert.Equal(3, _hub.Requests.Count);

        _hub.FailNext(url, HubFault.Status(502));
        using var persist = Downloader(maxAttempts: 2);
        await persist.DownloadAsync([ModelFile.FromUrl(url)], Destination);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
    }

    [Fact]
    public async Task Retry_waits_run_on_the_injected_clock()
    {
        var content = RandomBytes(1000, seed: 9);
        var url = _hub.AddFile("model.onnx", content);
        _hub.FailNext(url, HubFault.Status(500));
        var clock = new FakeTimeProvider();
        using var downloader = new ModelDownloader(new ModelDownloadOptions { MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromHours(1), TimeProvider = clock, StallTimeout = Timeout.InfiniteTimeSpan });

        var download = downloader.DownloadAsync([ModelFile.FromUrl(url)], Destination);
        while (!download.IsCompleted)
        {
            // The first attempt fails, then Polly waits an hour on the fake clock: only advancing it releases the retry.
            clock.Advance(TimeSpan.FromHours(2));
            await Task.WhenAny(download, Task.Delay(5));
        }

        await download;
        Assert.Equal(2, _hub.Requests.Count);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
    }

    [Fact]
    public async Task A_huge_content_length_fails_for_lack_of_space_before_writing()
    {
        var url = _hub.AddFile("huge.onnx", RandomBytes(1000, seed: 10));
        _hub.FailNext(url, HubFault.ClaimLength(1L << 60));
        using var downloader = Downloader(maxAttempts: 1);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([ModelFile.FromUrl(url)], Destination));

        Assert.Equal(ModelDownloadFailure.NoSpace, error.Failure);
        Assert.StartsWith("No space left for huge.onnx: 1073741824 GiB more is needed but ", error.Message);
        Assert.EndsWith("free; free some space or choose another destination.", error.Message);
        Assert.False(File.Exists(Path.Combine(Destination, "huge.onnx")));
        Assert.True(!File.Exists(Path.Combine(Destination, "huge.onnx.partial")) || new FileInfo(Path.Combine(Destination, "huge.onnx.partial")).Length == 0);
    }

    [Fact]
    public async Task Sizes_a_source_lists_are_checked_against_free_space_before_any_request()
    {
        var url = _hub.AddFile("model.onnx", RandomBytes(1000, seed: 11));
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([new ModelFile(url, "model.onnx", Size: 1L << 60)], Destination));

        Assert.Equal(ModelDownloadFailure.NoSpace, error.Failure);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Follows_a_redirect_chain_within_the_limit_and_refuses_a_longer_one()
    {
        var content = RandomBytes(5000, seed: 12);
        _hub.AddFile("model.onnx", content);
        using var downloader = Downloader(maxRedirects: 3);

        await downloader.DownloadAsync([new ModelFile(_hub.RedirectUrl(3, "model.onnx"), "model.onnx")], Destination);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync([new ModelFile(_hub.RedirectUrl(6, "model.onnx"), "other.onnx")], Destination));
        Assert.Equal(ModelDownloadFailure.Refused, error.Failure);
        Assert.Contains("redirected more than 3 times", error.Message);
        Assert.False(File.Exists(Path.Combine(Destination, "other.onnx")));
    }

    [Fact]
    public async Task Cancelling_keeps_the_partial_file_and_the_next_download_resumes_it()
    {
        var content = RandomBytes(4 * 1024 * 1024, seed: 13);
        var url = _hub.AddFile("model.onnx", content);
        var file = ModelFile.FromUrl(url, FakeModelHub.Sha256(content));
        // Every clock reading moves time on, so every chunk is reported and the test can cancel mid-file.
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        using var downloader = new ModelDownloader(new ModelDownloadOptions { MaxAttempts = 1, TimeProvider = clock, StallTimeout = Timeout.InfiniteTimeSpan });
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p is { Stage: DownloadStage.Receiving, FileBytes: >= 256 * 1024 })
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => downloader.DownloadAsync([file], Destination, progress, cancellation.Token));

        var kept = new FileInfo(Path.Combine(Destination, "model.onnx.partial")).Length;
        Assert.InRange(kept, 256 * 1024, content.Length - 1);
        Assert.False(File.Exists(Path.Combine(Destination, "model.onnx")));

        var result = await downloader.DownloadAsync([file], Destination);

        Assert.Equal(DownloadedFileStatus.Resumed, Assert.Single(result.Files).Status);
        Assert.Equal($"bytes={kept}-", _hub.Requests[^1].Range);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Destination, "model.onnx")));
    }

    [Fact]
    public async Task Reports_progress_from_start_to_completion_with_totals()
    {
        var (first, second) = (RandomBytes(20_000, seed: 14), RandomBytes(30_000, seed: 15));
        var files = new[]
        {
            new ModelFile(_hub.AddFile("a.onnx", first), "a.onnx", first.Length),
            new ModelFile(_hub.AddFile("b.onnx", second), "b.onnx", second.Length),
        };
        var reports = new List<DownloadProgress>();
        using var downloader = Downloader();

        await downloader.DownloadAsync(files, Destination, new SynchronousProgress(reports.Add));

        Assert.Equal(DownloadStage.Started, reports[0].Stage);
        Assert.Equal((1, 2, 50_000L), (reports[0].FileNumber, reports[0].FileCount, reports[0].TotalBytes));
        var completed = reports.Where(r => r.Stage == DownloadStage.Completed).ToList();
        Assert.Equal(["a.onnx", "b.onnx"], completed.Select(r => r.Path));
        Assert.Equal((50_000L, 50_000L), (completed[^1].Bytes, completed[^1].TotalBytes));
    }

    [Fact]
    public async Task A_file_already_in_place_with_the_expected_hash_is_not_downloaded_again()
    {
        var content = RandomBytes(10_000, seed: 16);
        var url = _hub.AddFile("model.onnx", content);
        var file = ModelFile.FromUrl(url, FakeModelHub.Sha256(content));
        using var downloader = Downloader();
        await downloader.DownloadAsync([file], Destination);
        var requests = _hub.Requests.Count;

        var result = await downloader.DownloadAsync([file], Destination);

        Assert.Equal((DownloadedFileStatus.AlreadyPresent, 0L), (result.Files[0].Status, result.BytesReceived));
        Assert.Equal(requests, _hub.Requests.Count);
    }

    [Fact]
    public async Task An_unsafe_path_from_a_source_writes_nothing_anywhere()
    {
        var url = _hub.AddFile("model.onnx", RandomBytes(100, seed: 17));
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.DownloadAsync([new ModelFile(url, "good.onnx"), new ModelFile(url, "../escaped.onnx")], Destination));

        Assert.Equal(ModelDownloadFailure.InvalidSource, error.Failure);
        Assert.Equal($"The source names the file '../escaped.onnx', which would land outside {Path.GetFullPath(Destination)}; nothing was downloaded.", error.Message);
        Assert.Empty(_hub.Requests);
        Assert.False(File.Exists(_folder.PathOf("escaped.onnx")));
        Assert.False(Directory.Exists(Destination));
    }

    private ModelDownloader Downloader(int maxAttempts = 1, string? token = null, int maxRedirects = 10) =>
        new(new ModelDownloadOptions { HubBaseUrl = _hub.BaseUrl, MaxAttempts = maxAttempts, RetryBaseDelay = TimeSpan.Zero, Token = token, MaxRedirects = maxRedirects });

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Every file below <paramref name="folder"/>, relative, with <c>/</c>.</summary>
    internal static string[] FilesIn(string folder)
    {
        Directory.CreateDirectory(folder);
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
    }
}
