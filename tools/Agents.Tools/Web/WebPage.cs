namespace Agents.Tools.Web;

/// <summary>A fetched page reduced to what a reader needs: final URL, title, and content as Markdown and as plain text.</summary>
/// <param name="Url">Where the content came from, after redirects.</param>
/// <param name="MediaType">The media type the server sent, such as <c>text/html</c>.</param>
/// <param name="Title">The page title for HTML pages that have one.</param>
/// <param name="Markdown">The main content as Markdown; for non-HTML documents, the document as sent.</param>
/// <param name="Text">The main content as plain text; for non-HTML documents, the document as sent.</param>
public sealed record WebPage(Uri Url, string MediaType, string? Title, string Markdown, string Text);
