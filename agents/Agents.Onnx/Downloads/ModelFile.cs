namespace Agents.Onnx.Downloads;

/// <summary>One file to download and where it goes.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="Path">
/// Where the file lands, relative to the destination folder, with <c>/</c> between folders; a path that is rooted or
/// climbs out with <c>..</c> is refused, so no source can write outside the destination.
/// </param>
/// <param name="Size">The file's length in bytes when the source says (a hub listing does); checked after the download.</param>
/// <param name="Sha256">The file's SHA-256 as hex when known; the file is only moved into place when it matches.</param>
public sealed record ModelFile(Uri Url, string Path, long? Size = null, string? Sha256 = null)
{
    /// <summary>A file named after the last segment of its URL, e.g. <c>https://host/x/model.onnx</c> → <c>model.onnx</c>.</summary>
    public static ModelFile FromUrl(Uri url, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{url}' is not an http or https URL.", nameof(url));
        }

        var name = Uri.UnescapeDataString(url.Segments[^1]);
        if (name.Length == 0 || name.EndsWith('/'))
        {
            throw new ArgumentException($"'{url}' does not end in a file name; give the URL of a file.", nameof(url));
        }

        return new ModelFile(url, name, Sha256: sha256);
    }
}
