using Agents.Tools.Web.Extraction;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Reads Markdown files into headings, paragraphs, list items, code and tables. The title is front matter's
/// <c>title:</c>, else the first level-1 heading.
/// </summary>
public sealed class MarkdownDocumentReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".md", ".markdown"];

    public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();

        var markdown = HtmlDecoding.Decode(content.Span, readMetaCharset: false);
        var builder = new ParsedDocumentBuilder();
        var title = MarkdownBlockParser.Add(builder, markdown, cancellationToken);
        return builder.Build(source, title);
    }
}
