namespace Agents.Tools.Web.Extraction;

/// <summary>Caps for <see cref="MainContentExtractor"/>; the defaults bound a hostile page's cost in time and memory.</summary>
public sealed class MainContentExtractorOptions
{
    /// <summary>
    /// HTML beyond this many characters is not parsed (default 5,000,000, about 5 MB). Real articles are far
    /// smaller; the parser's tree costs several times the input in memory.
    /// </summary>
    public int MaxHtmlCharacters { get; set; } = 5_000_000;

    /// <summary>
    /// Elements nested deeper than this are unwrapped before parsing, their text kept (default 256).
    /// The parser's cost grows with the square of the depth, so a 50,000-deep page would take minutes.
    /// </summary>
    public int MaxDepth { get; set; } = 256;

    /// <summary>
    /// The Markdown and the text are each cut at a block boundary to at most this many characters, with a
    /// marker saying so (default 64,000: about 16,000 tokens of English at four characters a token).
    /// </summary>
    public int MaxOutputCharacters { get; set; } = 64_000;
}
