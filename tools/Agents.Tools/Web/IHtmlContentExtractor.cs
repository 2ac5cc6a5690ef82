namespace Agents.Tools.Web;

/// <summary>Turns a fetched HTML page into its main content; <see cref="WebFetchTool"/> uses it for every HTML response.</summary>
public interface IHtmlContentExtractor
{
    /// <param name="html">The page as decoded text.</param>
    /// <param name="url">Where the page was fetched from, after redirects; relative links resolve against it.</param>
    ExtractedContent Extract(string html, Uri url);
}
