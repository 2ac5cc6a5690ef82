namespace Agents.Tools.Web;

/// <summary>The main content of a page: its title when it has one, the content as Markdown, and as plain text.</summary>
public sealed record ExtractedContent(string? Title, string Markdown, string Text);
