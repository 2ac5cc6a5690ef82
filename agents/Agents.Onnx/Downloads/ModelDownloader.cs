using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Agents.Onnx.Downloads;

/// <summary>
/// Downloads model files into a folder: each file streams into <c>NAME.partial</c> next to its target, an interrupted
/// transfer is resumed with <c>Range</c> (by later attempts, or by the next download after a crash or Ctrl+C), and the
/// file is moved into place only once complete and, where its SHA-256 is known, matching it. A file that changed on
/// the server since its partial download began starts over (<c>If-Range</c>), so two versions are never spliced.
/// </summary>
public sealed class ModelDownloader : IDisposable
{
    /// <summary>The suffix of a file still downloading; what it holds is resumed, never used as the file.</summary>
    public const string PartialSuffix = ".partial";

    private const string StateSuffix = ".partial.json";
    private const int BufferSize = 64 * 1024;

    private readonly Uri _hub;
    private readonly string? _token;
    private readonly TimeSpan _stallTimeout;
    private readonly int _maxListingPages;
    private readonly int _maxRedirects;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retry;
    private readonly HttpClient _http;

    public ModelDownloader(ModelDownloadOptions? options = null)
    {
        options ??= new ModelDownloadOptions();
        options.Validate();

        // Copied, so later changes to the options object cannot change a downloader already built.
        _hub = options.EffectiveHubBaseUrl;
        _token = string.IsNullOrWhiteSpace(options.Token) ? null : options.Token.Trim();
        _stallTimeout = options.StallTimeout;
        _maxListingPages = options.MaxListingPages;
        _maxRedirects = options.MaxRedirects;
        _timeProvider = options.TimeProvider;
        _retry = BuildRetry(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            // Ranges count bytes of the stored file; a transparently decompressed body would make them meaningless.
            AutomaticDecompression = DecompressionMethods.None,
        };
        // Stalls are timed per read (StallTimer); a whole-request limit would cut off large files on slow links.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("agents-model-pull/1.0");
    }

    /// <summary>The files of a Hugging Face repository that <paramref name="source"/> includes, with their download URLs, sizes and SHA-256 where the hub gives one.</summary>
    /// <exception cref="ModelDownloadException">The repository, revision or folder does not exist, is gated, or no file matches.</exception>
    public async Task<IReadOnlyList<ModelFile>> ResolveAsync(HuggingFaceSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var files = new List<ModelFile>();
        var page = HuggingFaceTreeListing.FirstPage(_hub, source);
        for (var pages = 0; page is not null; pages++)
        {
            if (pages == _maxListingPages)
            {
                throw new ModelDownloadException($"The hub's file listing of {source} runs past {_maxListingPages} pages; narrow it with an include pattern.", ModelDownloadFailure.InvalidSource);
            }

            var pageUrl = page;
            using var response = await ExecuteWithRetryAsync(
                $"the file listing of {source}",
                resumable: false,
                attempt => SendListingRequestAsync(pageUrl, source, attempt),
                cancellationToken).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument json;
            try
            {
                json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new ModelDownloadException($"The hub's file listing of {source} is not valid JSON; check the hub URL.", ModelDownloadFailure.InvalidSource, innerException: ex);
            }

            using (json)
            {
                files.AddRange(HuggingFaceTreeListing.ReadPage(json, _hub, source));
            }

            page = HuggingFaceTreeListing.NextPage(response.Headers, _hub);
        }

        if (files.Count == 0)
        {
            var what = source.Include.Count == 0 ? "has no files" : $"has no file matching {string.Join(", ", source.Include.Select(p => $"'{p}'"))}";
            throw new ModelDownloadException($"{source.RepoId} at revision {source.Revision} {what}; check the include patterns against the repository's files.", ModelDownloadFailure.InvalidSource);
        }

        return files;
    }

    /// <summary>
    /// Downloads <paramref name="files"/> into <paramref name="destination"/> (created if missing), one after another.
    /// Files already in place with the expected SHA-256 (or, lacking one, the expected size) are kept as they are.
    /// On cancellation the partial files stay, and the next download of the same files resumes them.
    /// </summary>
    /// <exception cref="ModelDownloadException">A file could not be downloaded or verified; files finished before it stay in place.</exception>
    public async Task<ModelDownloadResult> DownloadAsync(
        IEnumerable<ModelFile> files, string destination, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var list = files.ToList();
        var root = Path.GetFullPath(destination);
        var targets = ResolveTargets(list, root);
        Directory.CreateDirectory(root);
        EnsureSpace(root, list.Zip(targets).Sum(pair => Math.Max(0, (pair.First.Size ?? 0) - OnDisk(pair.Second))), "these files");

        var tracker = new DownloadProgressTracker(list, progress, _timeProvider);
        var done = new List<DownloadedFile>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            done.Add(await DownloadFileAsync(list[i], targets[i], i, tracker, cancellationToken).ConfigureAwait(false));
        }

        return new ModelDownloadResult(root, done, tracker.Received, tracker.Elapsed);
    }

    public void Dispose() => _http.Dispose();

    private static string[] ResolveTargets(List<ModelFile> files, string root)
    {
        var targets = new string[files.Count];
        var seen = new HashSet<string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            ArgumentNullException.ThrowIfNull(file, nameof(files));
            if (!file.Url.IsAbsoluteUri || file.Url.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{file.Url}' is not an http or https URL.", nameof(files));
            }

            if (file.Sha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            {
                throw new ArgumentException($"'{sha}' is not a SHA-256: it must be 64 hexadecimal digits.", nameof(files));
            }

            // Every path is checked before anything is written: a source with one unsafe path gets nothing written at all.
            targets[i] = SafeRelativePath.Resolve(root, file.Path) ?? throw new ModelDownloadException(
                $"The source names the file '{file.Path}', which would land outside {root}; nothing was downloaded.", ModelDownloadFailure.InvalidSource);
            if (!seen.Add(targets[i]))
            {
                throw new ModelDownloadException($"The source names '{file.Path}' twice; give each file once.", ModelDownloadFailure.InvalidSource);
            }
        }

        return targets;
    }

    private async Task<DownloadedFile> DownloadFileAsync(ModelFile file, string target, int index, DownloadProgressTracker tracker, CancellationToken cancellationToken)
    {
        var (partial, state) = (target + PartialSuffix, target + StateSuffix);
        if (File.Exists(target) && !File.Exists(partial))
        {
            var present = await KeepIfCompleteAsync(file, target, tracker, index, cancellationToken).ConfigureAwait(false);
            if (present is not null)
            {
                return present;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var transfer = new FileTransfer(file, partial, state, tracker);
        tracker.Start(index, transfer.OnDisk);
        await ExecuteWithRetryAsync(file.Path, resumable: true, async attempt =>
        {
            await TransferAsync(transfer, attempt).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        var length = new FileInfo(partial).Length;
        if (file.Size is { } size && length != size)
        {
            Discard(partial, state);
            throw new ModelDownloadException(
                $"{file.Path} came to {length:N0} bytes, not the {size:N0} the source lists; the download was discarded, pull again.", ModelDownloadFailure.ChecksumMismatch);
        }

        var sha256 = await HashAsync(partial, cancellationToken).ConfigureAwait(false);
        if (file.Sha256 is { } expected && !sha256.Equals(expected, StringComparison.OrdinalIgnoreCase))
        {
            Discard(partial, state);
            throw new ModelDownloadException(
                $"{file.Path} has SHA-256 {sha256}, not the expected {expected.ToLowerInvariant()}; the download was discarded and nothing was put in place, so check the expected hash or the source.",
                ModelDownloadFailure.ChecksumMismatch);
        }

        // The target appears whole or not at all: a crash before this line leaves only the partial file.
        File.Move(partial, target, overwrite: true);
        File.Delete(state);
        tracker.Complete(length);
        var status = transfer.ResumedFrom > 0 ? DownloadedFileStatus.Resumed : DownloadedFileStatus.Downloaded;
        return new DownloadedFile(file.Path, target, length, sha256, file.Sha256 is not null, status, transfer.Received);
    }

    private static async Task<DownloadedFile?> KeepIfCompleteAsync(ModelFile file, string target, DownloadProgressTracker tracker, int index, CancellationToken cancellationToken)
    {
        var length = new FileInfo(target).Length;
        if (file.Sha256 is null && (file.Size is null || file.Size != length))
        {
            // Nothing to compare with: the file is downloaded again and replaced atomically.
            return null;
        }

        tracker.Start(index, 0);
        var sha256 = await HashAsync(target, cancellationToken).ConfigureAwait(false);
        if (file.Sha256 is { } expected && !sha256.Equals(expected, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        tracker.Complete(length);
        return new DownloadedFile(file.Path, target, length, sha256, file.Sha256 is not null, DownloadedFileStatus.AlreadyPresent, 0);
    }

    /// <summary>One attempt: asks for the bytes the partial file lacks and appends them; throws <see cref="TransientDownloadException"/> for what a retry may fix.</summary>
    private async Task TransferAsync(FileTransfer transfer, CancellationToken cancellationToken)
    {
        var file = transfer.File;
        for (var restarted = false; ; restarted = true)
        {
            var resume = PartialDownloadState.Read(transfer.StatePath, file.Url);
            var have = resume is null ? 0 : transfer.OnDisk;
            using var stall = new StallTimer(_stallTimeout, _timeProvider, cancellationToken);
            using var request = CreateRequest(file.Url);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
                request.Headers.IfRange = IfRange(resume!);
            }

            using var response = await SendAsync(request, file.Path, stall).ConfigureAwait(false);
            long? total;
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent:
                    var range = response.Content.Headers.ContentRange;
                    if (have == 0 || range is not { HasRange: true } || range.From != have || (resume!.Length is { } known && range.Length is { } sent && known != sent))
                    {
                        // Not the bytes asked for, or the file's length changed: the partial part cannot be trusted.
                        RestartOrGiveUp(transfer, restarted, "the server answered a resumed request with the wrong byte range");
                        continue;
                    }

                    total = range.Length ?? resume.Length;
                    break;

                case HttpStatusCode.OK:
                    // A fresh download, or the server ignored Range, or If-Range saw a changed file: start from byte 0.
                    have = 0;
                    total = response.Content.Headers.ContentLength;
                    new PartialDownloadState(file.Url, StrongETag(response), response.Content.Headers.LastModified, total).Write(transfer.StatePath);
                    break;

                case HttpStatusCode.RequestedRangeNotSatisfiable when have > 0:
                    if (response.Content.Headers.ContentRange?.Length == have && resume!.Length == have)
                    {
                        // The partial file already holds every byte: an earlier download stopped between the last byte and the rename.
                        transfer.Begin(have, have);
                        return;
                    }

                    RestartOrGiveUp(transfer, restarted, "the server refused the resumed byte range");
                    continue;

                default:
                    throw FailureOf(response, file.Url);
            }

            if (total is { } length)
            {
                EnsureSpace(Path.GetDirectoryName(transfer.PartialPath)!, length - have, file.Path);
            }

            transfer.Begin(have, total);
            await CopyAsync(response, transfer, total, stall).ConfigureAwait(false);
            return;
        }
    }

    private static async Task CopyAsync(HttpResponseMessage response, FileTransfer transfer, long? total, StallTimer stall)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // Unbuffered, so "no space left" surfaces at the write that hit it rather than at a later flush.
            await using var output = new FileStream(
                transfer.PartialPath, transfer.OnDisk == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using var body = await ReadNetworkAsync(() => response.Content.ReadAsStreamAsync(stall.Token), transfer.File.Path, stall).ConfigureAwait(false);
            while (true)
            {
                stall.Restart();
                var read = await ReadNetworkAsync(() => body.ReadAsync(buffer, stall.Token).AsTask(), transfer.File.Path, stall).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                try
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), stall.Token).ConfigureAwait(false);
                }
                catch (IOException ex) when (IsDiskFull(ex))
                {
                    throw NoSpace(transfer.PartialPath, transfer.File.Path, ex);
                }

                transfer.Receive(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (total is { } length && transfer.OnDisk != length)
        {
            throw new TransientDownloadException($"the connection ended after {transfer.OnDisk:N0} of {length:N0} bytes");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, StallTimer stall)
    {
        var response = await ReadNetworkAsync(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token), what, stall).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            response.Dispose();
            throw new ModelDownloadException(
                $"{request.RequestUri} redirected more than {_maxRedirects} times, or to {location?.ToString() ?? "no address"}, which cannot be followed; check the URL.",
                ModelDownloadFailure.Refused,
                (int)response.StatusCode);
        }

        return response;
    }

    /// <summary>Runs a network call, turning a broken connection or a stall into a retryable failure and leaving the caller's cancellation as it is.</summary>
    private static async Task<T> ReadNetworkAsync<T>(Func<Task<T>> read, string what, StallTimer stall)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (stall.Stalled)
        {
            throw new TransientDownloadException("the connection stalled", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientDownloadException(Describe(ex), (int?)ex.StatusCode, ex);
        }
        catch (IOException ex)
        {
            throw new TransientDownloadException($"the connection broke while receiving {what} ({ex.Message.TrimEnd('.')})", innerException: ex);
        }
    }

    private async Task<HttpResponseMessage> SendListingRequestAsync(Uri url, HuggingFaceSource source, CancellationToken cancellationToken)
    {
        using var stall = new StallTimer(_stallTimeout, _timeProvider, cancellationToken);
        using var request = CreateRequest(url);
        var response = await SendAsync(request, $"the file listing of {source}", stall).ConfigureAwait(false);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                var folder = source.ListingFolder;
                var what = folder.Length == 0 ? "" : $" (or no folder '{folder}' in it)";
                throw new ModelDownloadException(
                    $"The hub has no repository {source.RepoId} at revision {source.Revision}{what} (HTTP 404); check the repository id, the revision and the include patterns.",
                    ModelDownloadFailure.NotFound,
                    404);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw FailureOf(response, url);
            }

            if (response.Content.Headers.ContentLength > HuggingFaceTreeListing.MaxPageBytes)
            {
                throw new ModelDownloadException($"The hub's file listing of {source} is larger than {Size(HuggingFaceTreeListing.MaxPageBytes)} a page; check the hub URL.", ModelDownloadFailure.InvalidSource);
            }

            await ReadNetworkAsync(async () =>
            {
                await response.Content.LoadIntoBufferAsync(HuggingFaceTreeListing.MaxPageBytes, stall.Token).ConfigureAwait(false);
                return true;
            }, $"the file listing of {source}", stall).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<T> ExecuteWithRetryAsync<T>(string what, bool resumable, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await attempt(token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TransientDownloadException ex)
        {
            var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
            throw new ModelDownloadException(
                $"Downloading {what} failed after {tries}: {ex.Message}; {(resumable ? "what arrived is kept, so pulling again resumes it" : "try again later")}.",
                ModelDownloadFailure.Interrupted,
                ex.StatusCode,
                ex);
        }
    }

    private HttpRequestMessage CreateRequest(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_token is not null)
        {
            // HttpClient drops this header when it follows a redirect to another host, so the token never reaches a CDN.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return request;
    }

    private static RangeConditionHeaderValue? IfRange(PartialDownloadState state) =>
        state.ETag is { } etag ? new RangeConditionHeaderValue(etag)
        : state.LastModified is { } date ? new RangeConditionHeaderValue(date)
        : null;

    /// <summary>The response's ETag when it is strong: <c>If-Range</c> only compares strong validators (RFC 9110, 13.1.5).</summary>
    private static string? StrongETag(HttpResponseMessage response) =>
        response.Headers.ETag is { IsWeak: false } etag ? etag.Tag : null;

    private static void RestartOrGiveUp(FileTransfer transfer, bool restarted, string reason)
    {
        Discard(transfer.PartialPath, transfer.StatePath);
        transfer.Restart();
        if (restarted)
        {
            throw new TransientDownloadException(reason);
        }
    }

    private static Exception FailureOf(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        var phrase = $"HTTP {status.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase)}";
        return status switch
        {
            404 => new ModelDownloadException($"{url} was not found ({phrase}); check the URL, or the repository id, revision and path.", ModelDownloadFailure.NotFound, status),
            401 or 403 => new ModelDownloadException(
                $"{url} refused access ({phrase}): the repository is gated or private, or the token may not read it; accept its terms on the model's page and pass an access token with --token or HF_TOKEN.",
                ModelDownloadFailure.Unauthorized,
                status),
            408 or 429 or >= 500 => new TransientDownloadException($"the server answered {phrase}", status),
            _ => new ModelDownloadException($"{url} answered {phrase}; check the URL.", ModelDownloadFailure.Refused, status),
        };
    }

    private static string Describe(HttpRequestException error) => error.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => $"could not connect ({(error.InnerException ?? error).Message.TrimEnd('.')})",
        HttpRequestError.NameResolutionError => "the host was not found",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the connection ended early",
        _ => (error.InnerException ?? error).Message.TrimEnd('.'),
    };

    private static void EnsureSpace(string folder, long needed, string what)
    {
        var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (needed > free)
        {
            throw new ModelDownloadException(
                $"No space left for {what}: {Size(needed)} more is needed but {folder} has {Size(free)} free; free some space or choose another destination.",
                ModelDownloadFailure.NoSpace);
        }
    }

    private static ModelDownloadException NoSpace(string partial, string what, IOException error) =>
        new($"No space left on the disk while writing {what}; free some space and pull again, which resumes from the {Size(new FileInfo(partial).Length)} already written.",
            ModelDownloadFailure.NoSpace,
            innerException: error);

    // ENOSPC on Linux and macOS (the runtime puts the errno in HResult); ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private static bool IsDiskFull(IOException error) =>
        error.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private static long OnDisk(string target) => File.Exists(target + PartialSuffix) ? new FileInfo(target + PartialSuffix).Length : 0;

    private static void Discard(string partial, string state)
    {
        File.Delete(partial);
        File.Delete(state);
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static ResiliencePipeline BuildRetry(ModelDownloadOptions options)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<TransientDownloadException>(),
            });
        }

        return builder.Build();
    }
}
