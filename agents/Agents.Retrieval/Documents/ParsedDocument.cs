namespace Agents.Retrieval.Documents;

/// <summary>
/// A file read into plain text and its structure. <see cref="Text"/> is the blocks' text joined by blank
/// lines (a newline between list items), so every block, and every chunk cut from them, is a range of it
/// that a citation can point to.
/// </summary>
/// <param name="Source">Where the document came from, as the caller named it (a path or URL).</param>
/// <param name="Title">The document's own title (a Markdown or HTML page's title, a PDF's Title property), or <see langword="null"/>.</param>
/// <param name="Text">The document as plain text.</param>
/// <param name="Blocks">The blocks in reading order; their ranges of <see cref="Text"/> do not overlap.</param>
public sealed record ParsedDocument(string Source, string? Title, string Text, IReadOnlyList<DocumentBlock> Blocks);
