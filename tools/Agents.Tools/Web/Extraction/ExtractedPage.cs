namespace Agents.Tools.Web.Extraction;

/// <summary>The main content of one HTML page, without navigation, ads, cookie banners, comments and footers.</summary>
/// <param name="Title">The page's title, or <see langword="null"/> when it has none.</param>
/// <param name="Markdown">The title as a <c>#</c> heading, then the content as Markdown (headings, lists, links, tables, code).</param>
/// <param name="Text">The same content as plain text: no Markdown markers, table cells separated by tabs.</param>
/// <param name="Truncated">Whether the content was longer than <see cref="MainContentExtractorOptions.MaxOutputCharacters"/> and was cut, with a marker.</param>
public sealed record ExtractedPage(string? Title, string Markdown, string Text, bool Truncated = false);
