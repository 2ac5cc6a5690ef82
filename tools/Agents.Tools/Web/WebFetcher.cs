using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Agents.Tools.Web.Extraction;

namespace Agents.Tools.Web;

/// <summary>
/// Fetches one URL over http or https without letting the URL, its DNS or its redirects reach a
/// network the options do not allow: the handler resolves every host itself and connects only to
/// addresses that pass <see cref="WebFetchPolicy"/>, redirects are followed by hand and checked
/// hop by hop, there is no proxy, the body is capped after decompression, and the whole fetch has
/// a deadline.
/// </summary>
public sealed class WebFetcher : IDisposable
{
    private const int ReadBufferSize = 16 * 1024;

    private readonly WebFetchOptions _options;
    private readonly WebFetchPolicy _policy;
    private readonly HttpClient _client;

    public WebFetcher(WebFetchOptions? options = null)
    {
        _options = options ?? new WebFetchOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxRedirects, "options.MaxRedirects");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxResponseBytes, "options.MaxResponseBytes");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ConnectTimeout, TimeSpan.Zero, "options.ConnectTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero, "options.Timeout");
        ArgumentNullException.ThrowIfNull(_options.TimeProvider, "options.TimeProvider");
        _policy = new WebFetchPolicy(_options);

        var handler = new SocketsHttpHandler
        {
            // A proxy would make the connection, so the address check would judge the proxy instead.
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = _options.ConnectTimeout,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseDrainSize = 64 * 1024,
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Fetches <paramref name="url"/> as typed by a user or a model; <see cref="WebFetchException"/> says why when it cannot.</summary>
    public Task<WebFetchResponse> FetchAsync(string url, CancellationToken cancellationToken = default) =>
        FetchAsync(WebFetchPolicy.ParseUrl(url), cancellationToken);

    public async Task<WebFetchResponse> FetchAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        _policy.CheckUrl(url);

        using var deadline = new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await FollowAsync(url, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline, or the handler's connect timeout: either way the server was too slow.
            throw new WebFetchException($"Fetching {Shown(url)} did not finish within {Seconds(_options.Timeout)}; the server is too slow or never finished sending.", ex);
        }
        catch (HttpRequestException ex) when (RefusalIn(ex) is { } refusal)
        {
            // A refusal from the connect callback arrives wrapped; it is the sentence to show.
            ExceptionDispatchInfo.Throw(refusal);
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new WebFetchException($"Fetching {Shown(url)} failed: {ex.Message.TrimEnd('.')}.", ex);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<WebFetchResponse> FollowAsync(Uri url, CancellationToken cancellationToken)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,application/json;q=0.8,*/*;q=0.1");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

            if (IsRedirect(response.StatusCode))
            {
                if (redirects == _options.MaxRedirects)
                {
                    throw new WebFetchException($"Fetching {Shown(url)} was redirected more than {_options.MaxRedirects} times; stopped at {Shown(current)}.");
                }

                var location = response.Headers.Location
                    ?? throw new WebFetchException($"{Shown(current)} answered with redirect {(int)response.StatusCode} but no valid Location header.");
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                _policy.CheckRedirect(current, next);
                current = next;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new WebFetchException($"{Shown(current)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.".Replace(" .", ".", StringComparison.Ordinal));
            }

            var contentType = response.Content.Headers.ContentType;
            var mediaType = contentType?.MediaType?.ToLowerInvariant()
                ?? throw new WebFetchException($"{Shown(current)} did not say what type of content it sent, so it was not read.");
            if (!IsAllowedMediaType(mediaType))
            {
                throw new WebFetchException($"{Shown(current)} sent {mediaType}, which web_fetch does not read; it reads HTML, plain text, JSON and XML.");
            }

            var body = await ReadCappedAsync(response, current, cancellationToken).ConfigureAwait(false);
            var isHtml = WebFetchResponse.IsHtmlMediaType(mediaType);
            return new WebFetchResponse(current, mediaType, HtmlDecoding.Decode(body, contentType.CharSet, readMetaCharset: isHtml));
        }
    }

    private async Task<ArraySegment<byte>> ReadCappedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(url, limit);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    // Counted after decompression: the handler inflates as we read, so a bomb stops here.
                    if (body.Length + read > limit)
                    {
                        throw TooLarge(url, limit);
                    }

                    body.Write(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return new ArraySegment<byte>(body.GetBuffer(), 0, (int)body.Length);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new WebFetchException($"The host name {host} did not resolve to any address.");
        }

        // Every answer is checked, not only the one used: an answer that mixes public and private
        // addresses is a rebinding attempt, and none of it is trusted.
        foreach (var address in addresses)
        {
            _policy.CheckAddress(address, host);
        }

        ExceptionDispatchInfo? lastFailure = null;
        foreach (var address in addresses)
        {
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastFailure = ExceptionDispatchInfo.Capture(ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        lastFailure!.Throw();
        throw new UnreachableException();
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return _options.ResolveHost is { } resolve
                ? await resolve(host, cancellationToken).ConfigureAwait(false)
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new WebFetchException($"The host name {host} could not be resolved ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    private bool IsAllowedMediaType(string mediaType)
    {
        if (_options.AllowedMediaTypes.Contains(mediaType))
        {
            return true;
        }

        var plus = mediaType.LastIndexOf('+');
        return plus > 0 && _options.AllowedMediaTypes.Contains(mediaType[plus..]);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static WebFetchException TooLarge(Uri url, long limit) =>
        new($"{Shown(url)} sent more than {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes (after decompression), the limit for one fetch; the body was not read further.");

    private static WebFetchException? RefusalIn(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is WebFetchException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    /// <summary>A URL as it may appear in a message: without query or fragment, which can carry tokens.</summary>
    private static string Shown(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
