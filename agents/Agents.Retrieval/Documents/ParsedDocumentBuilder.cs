using System.Text;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Assembles a <see cref="ParsedDocument"/> block by block, so that every block's range in the text is right by
/// construction: blocks are trimmed, blank ones dropped, and joined by a blank line (a newline between list items).
/// </summary>
internal sealed class ParsedDocumentBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<DocumentBlock> _blocks = [];

    public void Add(DocumentBlockKind kind, string text, int headingLevel = 0, int? page = null)
    {
        // Code keeps its indentation; everything else is trimmed whole.
        var content = NormalizeNewlines(text);
        content = kind == DocumentBlockKind.Code ? TrimBlankLines(content) : content.Trim();
        if (content.Length == 0)
        {
            return;
        }

        if (_blocks.Count > 0)
        {
            var listContinues = kind == DocumentBlockKind.ListItem && _blocks[^1].Kind == DocumentBlockKind.ListItem;
            _text.Append(listContinues ? "\n" : "\n\n");
        }

        var start = _text.Length;
        _text.Append(content);
        _blocks.Add(new DocumentBlock(kind, content, kind == DocumentBlockKind.Heading ? headingLevel : 0, page, start, _text.Length));
    }

    public ParsedDocument Build(string source, string? title)
    {
        var cleanTitle = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
        return new ParsedDocument(source, cleanTitle, _text.ToString(), [.. _blocks]);
    }

    internal static string NormalizeNewlines(string text) =>
        text.Contains('\r') ? text.Replace("\r\n", "\n").Replace('\r', '\n') : text;

    private static string TrimBlankLines(string text)
    {
        var span = text.AsSpan().TrimEnd();
        var firstLine = 0;
        for (var i = 0; i < span.Length && char.IsWhiteSpace(span[i]); i++)
        {
            if (span[i] == '\n')
            {
                firstLine = i + 1;
            }
        }

        return span.Length == 0 ? "" : span[firstLine..].ToString();
    }
}
