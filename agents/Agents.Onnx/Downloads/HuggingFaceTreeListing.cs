using System.Net.Http.Headers;
using System.Text.Json;

namespace Agents.Onnx.Downloads;

/// <summary>
/// Reads the hub's file listing, <c>GET {hub}/api/models/{repo}/tree/{revision}/{folder}?recursive=true</c>: a JSON array
/// of <c>{"type": "file"|"directory", "path", "size", "lfs": {"oid": sha256, "size"}}</c>, paged with a
/// <c>Link: &lt;…&gt;; rel="next"</c> header.
/// </summary>
internal static class HuggingFaceTreeListing
{
    /// <summary>The largest listing page read; the hub's pages are a few hundred kilobytes.</summary>
    public const long MaxPageBytes = 32 * 1024 * 1024;

    public static Uri FirstPage(Uri hub, HuggingFaceSource source)
    {
        var folder = source.ListingFolder;
        var path = $"api/models/{source.RepoId}/tree/{Uri.EscapeDataString(source.Revision)}" + (folder.Length == 0 ? "" : "/" + EscapePath(folder));
        return new Uri(hub, path + "?recursive=true");
    }

    /// <summary>The next page the response links to, when it is on the hub itself; a link elsewhere is not followed.</summary>
    public static Uri? NextPage(HttpResponseHeaders headers, Uri hub)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")
                && parts[0].StartsWith('<') && parts[0].EndsWith('>')
                && Uri.TryCreate(hub, parts[0][1..^1], out var next)
                && next.Scheme == hub.Scheme && next.Authority == hub.Authority)
            {
                return next;
            }
        }

        return null;
    }

    /// <summary>The files of one page that the source includes, with their download URLs, sizes and (for LFS files) SHA-256.</summary>
    public static IEnumerable<ModelFile> ReadPage(JsonDocument page, Uri hub, HuggingFaceSource source)
    {
        if (page.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, "it is not a JSON array");
        }

        foreach (var entry in page.RootElement.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || String(entry, "type") != "file")
            {
                continue;
            }

            var path = String(entry, "path") ?? throw Invalid(source, "a file entry has no path");
            if (!source.Includes(path))
            {
                continue;
            }

            long? size = entry.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) && n >= 0 ? n : null;
            string? sha256 = null;
            if (entry.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
            {
                // Only LFS files carry a SHA-256; a plain file's "oid" is its git blob SHA-1, which says nothing about the bytes alone.
                sha256 = String(lfs, "oid") is { Length: 64 } oid && oid.All(char.IsAsciiHexDigit) ? oid.ToLowerInvariant() : throw Invalid(source, $"the LFS entry for '{path}' has no SHA-256");
            }

            var url = new Uri(hub, $"{source.RepoId}/resolve/{Uri.EscapeDataString(source.Revision)}/{EscapePath(path)}");
            yield return new ModelFile(url, path, size, sha256);
        }
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ModelDownloadException Invalid(HuggingFaceSource source, string why) =>
        new($"The hub's file listing of {source} is malformed ({why}); check the hub URL.", ModelDownloadFailure.InvalidSource);
}
