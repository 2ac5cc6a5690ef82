using Agents.Tools.Web.Extraction;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Reads HTML pages: the main content only (no navigation, ads or footers), found by <see cref="MainContentExtractor"/>,
/// whose Markdown is then split into blocks like a Markdown file's. The title is the page's own.
/// </summary>
public sealed class HtmlDocumentReader : IDocumentReader
{
    private readonly MainContentExtractor _extractor;

    /// <param name="extractorOptions">
    /// The extractor's caps. By default its output cap is raised to 4,000,000 characters, since a document is ingested
    /// whole where a fetched page is cut to fit a model's context; its input cap stays (HTML past 5,000,000 characters
    /// is not read), because the parsed tree costs several times the page in memory.
    /// </param>
    public HtmlDocumentReader(MainContentExtractorOptions? extractorOptions = null)
    {
        _extractor = new MainContentExtractor(extractorOptions ?? new MainContentExtractorOptions { MaxOutputCharacters = 4_000_000 });
    }

    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

    public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();

        var html = HtmlDecoding.Decode(content.Span);
        ExtractedPage page;
        try
        {
            page = _extractor.Extract(html);
        }
        catch (InvalidDataException ex)
        {
            throw new DocumentReadException($"Could not read '{source}' as HTML: {ex.Message}", source, ex);
        }

        var builder = new ParsedDocumentBuilder();
        MarkdownBlockParser.Add(builder, page.Markdown, cancellationToken);
        return builder.Build(source, page.Title);
    }
}
