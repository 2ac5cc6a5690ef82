namespace Agents.Tools.Web;

/// <summary>A fetched document: where it ended up after redirects, its media type, and its body decoded to text.</summary>
public sealed record WebFetchResponse(Uri Url, string MediaType, string Text)
{
    public bool IsHtml => IsHtmlMediaType(MediaType);

    internal static bool IsHtmlMediaType(string mediaType) => mediaType is "text/html" or "application/xhtml+xml";
}
