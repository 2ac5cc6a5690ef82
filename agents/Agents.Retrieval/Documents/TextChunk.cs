namespace Agents.Retrieval.Documents;

/// <summary>A piece of a document sized to be embedded and cited.</summary>
/// <param name="Index">The chunk's place in its document, from 0.</param>
/// <param name="Text">The chunk's text: <c>document.Text[Start..End]</c>.</param>
/// <param name="HeadingPath">The headings the chunk sits under, outermost first, e.g. <c>Guide &gt; Install</c>; <see langword="null"/> before any heading.</param>
/// <param name="Page">The 1-based page the chunk starts on, for paged formats (PDF).</param>
/// <param name="Start">Where the chunk starts in <see cref="ParsedDocument.Text"/>.</param>
/// <param name="End">Where the chunk ends in <see cref="ParsedDocument.Text"/> (exclusive).</param>
/// <param name="TokenCount">How many tokens <see cref="Text"/> is, counted by the chunker's tokenizer.</param>
public sealed record TextChunk(int Index, string Text, string? HeadingPath, int? Page, int Start, int End, int TokenCount);
