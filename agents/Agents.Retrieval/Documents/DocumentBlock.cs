namespace Agents.Retrieval.Documents;

/// <summary>One structural piece of a <see cref="ParsedDocument"/>: a heading, a paragraph, a list item, a code block or a table.</summary>
/// <param name="Kind">What the block is.</param>
/// <param name="Text">The block's text; the same as <c>document.Text[Start..End]</c>.</param>
/// <param name="HeadingLevel">1 to 6 for a heading (1 is the top level), 0 for every other kind.</param>
/// <param name="Page">The 1-based page the block is on, for paged formats (PDF); <see langword="null"/> otherwise.</param>
/// <param name="Start">Where the block starts in <see cref="ParsedDocument.Text"/> (a character index).</param>
/// <param name="End">Where the block ends in <see cref="ParsedDocument.Text"/> (exclusive).</param>
public sealed record DocumentBlock(DocumentBlockKind Kind, string Text, int HeadingLevel, int? Page, int Start, int End);
