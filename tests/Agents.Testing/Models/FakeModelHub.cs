using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Agents.Testing.Models;

/// <summary>
/// A real HTTP server on loopback that serves model files the way Hugging Face and CDNs do: <c>Range</c> requests
/// (206 with <c>Content-Range</c>, 416 past the end), strong ETags honoured in <c>If-Range</c>, the hub's
/// <c>/api/models/{repo}/tree/{revision}/{folder}?recursive=true</c> listing (paged with <c>Link</c>) and
/// <c>/{repo}/resolve/{revision}/{path}</c> files, redirect chains (<c>/redirect/{hops}/{path}</c>), an optional
/// required bearer token, and scripted faults (<see cref="HubFault"/>) for cut connections and error statuses.
/// </summary>
public sealed class FakeModelHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HubFault>> _faults = new();
    private readonly ConcurrentDictionary<string, string> _listings = new();
    private readonly ConcurrentQueue<HubRequest> _requests = new();
    private LoopbackServer _server = null!;

    /// <summary>The hub's root, ending in <c>/</c>; give it to a downloader as the hub base URL.</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>When set, requests without <c>Authorization: Bearer {token}</c> get 401, and with another token 403.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>How many entries one listing page holds before a <c>Link: rel="next"</c> page follows.</summary>
    public int ListingPageSize { get; set; } = 1000;

    public IReadOnlyList<HubRequest> Requests => [.. _requests];

    public static async Task<FakeModelHub> StartAsync()
    {
        var hub = new FakeModelHub();
        hub._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/files/{**path}", (HttpContext context, string path) => hub.ServeAsync(context, "files/" + path));
            app.MapGet("/redirect/{hops:int}/{**path}", (HttpContext context, int hops, string path) =>
            {
                hub.Record(context);
                return Results.Redirect(hops > 1 ? $"/redirect/{hops - 1}/{path}" : $"/files/{path}");
            });
            app.MapGet("/api/models/{owner}/{name}/tree/{revision}/{**folder}", (HttpContext context, string owner, string name, string revision, string? folder) =>
                hub.ListAsync(context, $"{owner}/{name}", revision, folder ?? ""));
            app.MapGet("/{owner}/{name}/resolve/{revision}/{**path}", (HttpContext context, string owner, string name, string revision, string path) =>
                hub.ServeAsync(context, RepoKey(owner + "/" + name, revision, path)));
        }).ConfigureAwait(false);
        return hub;
    }

    /// <summary>Serves (or replaces) <paramref name="content"/> at <c>/files/{path}</c>; its ETag changes with its content.</summary>
    public Uri AddFile(string path, byte[] content)
    {
        _files["files/" + path] = content;
        return FileUrl(path);
    }

    public Uri FileUrl(string path) => _server.Url("files/" + path);

    /// <summary>A URL that redirects <paramref name="hops"/> times before reaching <c>/files/{path}</c>.</summary>
    public Uri RedirectUrl(int hops, string path) => _server.Url($"redirect/{hops}/{path}");

    /// <summary>A repository whose listing and resolve URLs serve <paramref name="files"/> at <paramref name="revision"/>.</summary>
    public void AddRepository(string repoId, string revision, params HubRepoFile[] files)
    {
        var entries = new JsonArray();
        foreach (var folder in files.SelectMany(f => Folders(f.Path)).Distinct())
        {
            entries.Add(new JsonObject { ["type"] = "directory", ["oid"] = new string('d', 40), ["size"] = 0, ["path"] = folder });
        }

        foreach (var file in files)
        {
            _files[RepoKey(repoId, revision, file.Path)] = file.Content;
            var entry = new JsonObject { ["type"] = "file", ["oid"] = Convert.ToHexStringLower(SHA1.HashData(file.Content)), ["size"] = file.Content.Length, ["path"] = file.Path };
            if (file.Lfs)
            {
                entry["lfs"] = new JsonObject { ["oid"] = Sha256(file.Content), ["size"] = file.Content.Length, ["pointerSize"] = 134 };
            }

            entries.Add(entry);
        }

        _listings[$"{repoId}@{revision}"] = entries.ToJsonString();
    }

    /// <summary>Replaces a repository's listing with <paramref name="json"/> as it is, for malformed and hostile listings.</summary>
    public void SetListing(string repoId, string revision, string json) => _listings[$"{repoId}@{revision}"] = json;

    /// <summary>Makes the next request for the file at <paramref name="url"/> (a file or a repository file on this hub) go wrong; several queue up.</summary>
    public void FailNext(Uri url, HubFault fault) =>
        _faults.GetOrAdd(Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')), _ => new ConcurrentQueue<HubFault>()).Enqueue(fault);

    /// <summary>The URL the hub resolves a repository file at, as the hub's own clients build it.</summary>
    public Uri RepoFileUrl(string repoId, string revision, string path) => _server.Url(RepoKey(repoId, revision, path));

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string RepoKey(string repoId, string revision, string path) => $"{repoId}/resolve/{revision}/{path}";

    private static IEnumerable<string> Folders(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts[..i]);
        }
    }

    private void Record(HttpContext context) =>
        _requests.Enqueue(new HubRequest(
            context.Request.Path.Value!.TrimStart('/'),
            context.Request.Headers.Range.FirstOrDefault(),
            context.Request.Headers.IfRange.FirstOrDefault(),
            context.Request.Headers.Authorization.FirstOrDefault()));

    private bool Authorized(HttpContext context)
    {
        if (RequiredToken is null)
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.FirstOrDefault();
        context.Response.StatusCode = header is null ? 401 : header == $"Bearer {RequiredToken}" ? 200 : 403;
        return context.Response.StatusCode == 200;
    }

    private async Task ListAsync(HttpContext context, string repoId, string revision, string folder)
    {
        Record(context);
        if (!Authorized(context))
        {
            return;
        }

        if (!_listings.TryGetValue($"{repoId}@{revision}", out var listing))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = "Repository not found" }).ConfigureAwait(false);
            return;
        }

        var entries = JsonNode.Parse(listing) is JsonArray array
            ? array.Where(e => folder.Length == 0 || (e?["path"]?.GetValue<string>() ?? "").StartsWith(folder + "/", StringComparison.Ordinal)).ToList()
            : null;
        if (entries is null)
        {
            // A listing set as something other than an array is sent as it is.
            await context.Response.WriteAsync(listing).ConfigureAwait(false);
            return;
        }

        if (entries.Count == 0)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = $"{folder} does not exist on \"{revision}\"" }).ConfigureAwait(false);
            return;
        }

        var start = int.TryParse(context.Request.Query["cursor"], CultureInfo.InvariantCulture, out var cursor) ? cursor : 0;
        var page = entries.Skip(start).Take(ListingPageSize).Select(e => e!.DeepClone()).ToArray();
        if (start + ListingPageSize < entries.Count)
        {
            var next = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?recursive=true&cursor={start + ListingPageSize}";
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonArray(page).ToJsonString()).ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context, string key)
    {
        Record(context);
        HubFault? fault = _faults.TryGetValue(key, out var queue) && queue.TryDequeue(out var next) ? next : null;
        if (fault is HubFault.StatusCode status)
        {
            context.Response.StatusCode = status.Code;
            return;
        }

        if (!Authorized(context))
        {
            return;
        }

        if (!_files.TryGetValue(key, out var content))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var etag = $"\"{Sha256(content)[..16]}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        var from = 0L;
        var range = context.Request.Headers.Range.FirstOrDefault();
        var ifRange = context.Request.Headers.IfRange.FirstOrDefault();
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], CultureInfo.InvariantCulture, out var start)
            && (ifRange is null || ifRange == etag))
        {
            if (start >= content.Length)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            from = start;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        response.ContentType = "application/octet-stream";
        var body = content.AsMemory((int)from);
        switch (fault)
        {
            case HubFault.Cut cut:
                await SendRawAsync(context, body.Length, body[..(int)Math.Min(cut.Bytes, body.Length)], close: true).ConfigureAwait(false);
                return;
            case HubFault.Stall stall:
                await SendRawAsync(context, body.Length, body[..(int)Math.Min(stall.Bytes, body.Length)], close: false).ConfigureAwait(false);
                return;
            case HubFault.Claim claim:
                await SendRawAsync(context, claim.Length, body[..Math.Min(16, body.Length)], close: true).ConfigureAwait(false);
                return;
            default:
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Writes the response head (claiming <paramref name="contentLength"/>) and <paramref name="body"/> straight to the
    /// socket, then closes the sending side (<paramref name="close"/>) or sends nothing more: the client reliably receives
    /// every byte, then the end of the stream or silence. Aborting through Kestrel instead would drop bytes still queued
    /// in its output pipe.
    /// </summary>
    private static async Task SendRawAsync(HttpContext context, long contentLength, ReadOnlyMemory<byte> body, bool close)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()!.Socket;
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {context.Response.StatusCode} {ReasonPhrases.GetReasonPhrase(context.Response.StatusCode)}\r\n");
        foreach (var (name, values) in context.Response.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {values}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString())).ConfigureAwait(false);
        await socket.SendAsync(body).ConfigureAwait(false);
        if (close)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        // Held until the client gives up on the connection, so nothing Kestrel does afterwards races the bytes sent.
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client closed its side: the cut is complete.
        }
    }
}
