using System.Text;
using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>Data tables as Markdown tables (or tab-separated text), and the text of cells and code blocks, gathered without recursion.</summary>
internal static class TableRenderer
{
    // A cell longer than this is prose laid out with a table, not data.
    private const int MaxCellLength = 600;

    /// <summary>Whether <paramref name="table"/> holds data (rows of short cells, no nested tables) rather than page layout.</summary>
    public static bool IsDataTable(HtmlNode table, ContentScorer scorer)
    {
        var rows = Rows(table, scorer, out var nested);
        if (nested || rows.Count == 0)
        {
            return false;
        }

        var columns = 0;
        foreach (var row in rows)
        {
            columns = Math.Max(columns, row.Count);
            foreach (var cell in row)
            {
                if (scorer.StatsOf(cell).TextLength > MaxCellLength)
                {
                    return false;
                }
            }
        }

        return columns >= 2 || rows.Count >= 2;
    }

    public static string Render(HtmlNode table, ContentScorer scorer, bool markdown)
    {
        var rows = Rows(table, scorer, out _);
        var columns = rows.Max(r => r.Count);
        var text = new StringBuilder();
        var header = true;
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Select(cell => InlineText(cell, scorer.Removed, escapePipes: markdown)).ToList();
            if (cells.TrueForAll(c => c.Length == 0))
            {
                continue;
            }

            while (cells.Count < columns)
            {
                cells.Add("");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            if (!markdown)
            {
                text.AppendJoin('\t', cells);
                continue;
            }

            text.Append("| ").AppendJoin(" | ", cells).Append(" |");
            if (header)
            {
                // The first row written is the header row Markdown requires.
                text.Append('\n').Append('|').Insert(text.Length, " --- |", columns);
                header = false;
            }
        }

        return text.ToString();
    }

    /// <summary>The rows of this table (not of tables inside it) as lists of cells; <paramref name="nested"/> says whether a table is inside.</summary>
    private static List<List<HtmlNode>> Rows(HtmlNode table, ContentScorer scorer, out bool nested)
    {
        nested = false;
        var rows = new List<List<HtmlNode>>();
        var node = table.FirstChild;
        while (node is not null)
        {
            var skip = node.NodeType != HtmlNodeType.Element || scorer.Removed.Contains(node);
            if (!skip)
            {
                switch (node.Name)
                {
                    case "table":
                        nested = true;
                        skip = true;
                        break;
                    case "tr":
                        var cells = new List<HtmlNode>();
                        for (var cell = node.FirstChild; cell is not null; cell = cell.NextSibling)
                        {
                            if (cell.Name is "td" or "th" && !scorer.Removed.Contains(cell))
                            {
                                cells.Add(cell);
                            }
                        }

                        if (cells.Count > 0)
                        {
                            rows.Add(cells);
                        }

                        // Cells are read by InlineText; only a nested table below matters here.
                        break;
                    case "thead" or "tbody" or "tfoot" or "td" or "th":
                        break;
                    default:
                        // Captions and stray elements are not rows.
                        skip = node.Name is "caption" or "colgroup";
                        break;
                }
            }

            node = ContentScorer.Next(node, table, skip);
        }

        return rows;
    }

    /// <summary>An element's text on one line, whitespace collapsed, removed parts left out.</summary>
    public static string InlineText(HtmlNode element, IReadOnlySet<HtmlNode> removed, bool escapePipes)
    {
        var text = new StringBuilder();
        var space = false;
        var node = element.FirstChild;
        while (node is not null)
        {
            var skip = removed.Contains(node);
            if (!skip && node is HtmlTextNode textNode)
            {
                foreach (var c in TextMeasure.Decode(textNode.Text))
                {
                    if (char.IsWhiteSpace(c))
                    {
                        space = text.Length > 0;
                        continue;
                    }

                    if (space)
                    {
                        text.Append(' ');
                        space = false;
                    }

                    if (escapePipes && c == '|')
                    {
                        text.Append('\\');
                    }

                    text.Append(c);
                }
            }
            else if (!skip && node.NodeType == HtmlNodeType.Element && node.Name is "br" or "p" or "div" or "li")
            {
                space = text.Length > 0;
            }

            node = ContentScorer.Next(node, element, skip);
        }

        return text.ToString();
    }

    /// <summary>The text of a code block as written: whitespace kept, line breaks from &lt;br&gt;.</summary>
    public static string RawText(HtmlNode element, IReadOnlySet<HtmlNode> removed)
    {
        var text = new StringBuilder();
        var node = element.FirstChild;
        while (node is not null)
        {
            var skip = removed.Contains(node);
            if (!skip && node is HtmlTextNode textNode)
            {
                text.Append(TextMeasure.Decode(textNode.Text));
            }
            else if (!skip && node.Name == "br")
            {
                text.Append('\n');
            }

            node = ContentScorer.Next(node, element, skip);
        }

        return text.ToString();
    }
}
