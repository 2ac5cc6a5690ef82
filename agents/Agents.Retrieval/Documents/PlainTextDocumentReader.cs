using Agents.Tools.Web.Extraction;

namespace Agents.Retrieval.Documents;

/// <summary>Reads plain text files: paragraphs are separated by blank lines; the encoding is sniffed (BOM, UTF-8, else Windows-1252).</summary>
public sealed class PlainTextDocumentReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

    public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();

        var text = HtmlDecoding.Decode(content.Span, readMetaCharset: false);
        var builder = new ParsedDocumentBuilder();
        AddParagraphs(builder, text, cancellationToken);
        return builder.Build(source, title: null);
    }

    /// <summary>Adds each run of non-blank lines in <paramref name="text"/> as one paragraph.</summary>
    internal static void AddParagraphs(ParsedDocumentBuilder builder, string text, CancellationToken cancellationToken)
    {
        text = ParsedDocumentBuilder.NormalizeNewlines(text);
        var paragraphStart = 0;
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            if (text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace())
            {
                if (lineStart > paragraphStart)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    builder.Add(DocumentBlockKind.Paragraph, text[paragraphStart..lineStart]);
                }

                paragraphStart = lineEnd + 1;
            }

            lineStart = lineEnd + 1;
        }

        if (paragraphStart < text.Length)
        {
            builder.Add(DocumentBlockKind.Paragraph, text[paragraphStart..]);
        }
    }
}
