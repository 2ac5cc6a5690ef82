using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agents.Onnx.Downloads;

/// <summary>
/// What the server said about a file when its <c>.partial</c> download began, kept next to it as <c>.partial.json</c>:
/// resuming sends the ETag or date back in <c>If-Range</c>, so a file that changed since restarts from the first byte
/// instead of splicing two versions together.
/// </summary>
/// <param name="Length">The whole file's length, when the server said.</param>
internal sealed record PartialDownloadState(Uri Url, string? ETag, DateTimeOffset? LastModified, long? Length)
{
    /// <summary>The state left for <paramref name="url"/>, or null when there is none, it is unreadable, or it was for another URL.</summary>
    public static PartialDownloadState? Read(string path, Uri url)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path));
            if (json?["url"]?.GetValue<string>() != url.AbsoluteUri)
            {
                return null;
            }

            return new PartialDownloadState(
                url,
                json["etag"]?.GetValue<string>(),
                json["lastModified"]?.GetValue<DateTimeOffset>(),
                json["length"]?.GetValue<long>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A torn or hand-edited state file: the partial bytes cannot be trusted, so the download starts over.
            return null;
        }
    }

    public void Write(string path)
    {
        var json = new JsonObject
        {
            ["url"] = Url.AbsoluteUri,
            ["etag"] = ETag,
            ["lastModified"] = LastModified,
            ["length"] = Length,
        };
        File.WriteAllText(path, json.ToJsonString());
    }
}
