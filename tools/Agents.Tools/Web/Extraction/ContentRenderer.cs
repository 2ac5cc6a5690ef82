using System.Text;
using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Writes the chosen content as Markdown or plain text, one block at a time, walking the tree with an
/// explicit stack. Stops at the character budget, at a block boundary, with a marker.
/// </summary>
internal sealed class ContentRenderer
{
    // Longer than this, a block that opens like a teaser is a paragraph of the article that happens to.
    private const int MaxTeaserLength = 200;

    // A short paragraph a third of whose text is a link is a pointer to another page ("More on this: <a>…</a>"), not prose.
    private const double MaxTeaserLinkDensity = 0.35;

    private static readonly HashSet<string> s_blockTags = new(StringComparer.Ordinal)
    {
        "p", "div", "section", "article", "main", "figure", "figcaption", "address", "details", "summary", "dl", "dt", "dd",
        "center", "form", "fieldset", "body", "html", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "legend", "hgroup",
    };

    private static readonly HashSet<string> s_conditionalTags = new(StringComparer.Ordinal)
    {
        "div", "section", "table", "ul", "ol", "form", "fieldset", "dl",
    };

    private readonly ContentScorer _scorer;
    private readonly Uri? _baseUrl;
    private readonly bool _markdown;
    private readonly int _budget;
    private readonly string? _title;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _line = new();
    private readonly List<(bool Ordered, int Next)> _lists = [];
    private int _quoteDepth;
    private int _headingLevel;
    private string? _itemMarker;
    private bool _lastWasItem;
    private bool _pendingSpace;
    private int _flushes;

    private ContentRenderer(ContentScorer scorer, Uri? baseUrl, bool markdown, int budget, string? title)
    {
        _scorer = scorer;
        _baseUrl = baseUrl;
        _markdown = markdown;
        _budget = budget;
        _title = title;
    }

    public bool Truncated { get; private set; }

    /// <summary>Renders <paramref name="roots"/> in order; <paramref name="title"/>, when given, leads as a heading and is not repeated.</summary>
    public static (string Output, bool Truncated) Render(
        ContentScorer scorer, IReadOnlyList<HtmlNode> roots, Uri? baseUrl, bool markdown, int budget, string? title)
    {
        var renderer = new ContentRenderer(scorer, baseUrl, markdown, budget, title);
        if (title is not null)
        {
            renderer._headingLevel = 1;
            renderer._line.Append(title);
            renderer.Flush();
            renderer._headingLevel = 0;
        }

        foreach (var root in roots)
        {
            if (renderer.Truncated)
            {
                break;
            }

            renderer.Walk(root);
        }

        renderer.Flush();
        return (renderer._out.ToString(), renderer.Truncated);
    }

    private readonly record struct Frame(HtmlNode Node, bool Exit, int Mark, int Flushes);

    private void Walk(HtmlNode root)
    {
        var stack = new Stack<Frame>();
        stack.Push(new Frame(root, false, 0, 0));
        while (stack.Count > 0 && !Truncated)
        {
            var frame = stack.Pop();
            if (frame.Exit)
            {
                Exit(frame);
                continue;
            }

            var node = frame.Node;
            if (node.NodeType == HtmlNodeType.Text)
            {
                AppendText(((HtmlTextNode)node).Text);
                continue;
            }

            if (node.NodeType != HtmlNodeType.Element || _scorer.Removed.Contains(node) || (node != root && Skip(node)))
            {
                continue;
            }

            if (!Enter(node))
            {
                continue;
            }

            stack.Push(new Frame(node, true, _line.Length, _flushes));
            for (var i = node.ChildNodes.Count - 1; i >= 0; i--)
            {
                stack.Push(new Frame(node.ChildNodes[i], false, 0, 0));
            }
        }
    }

    /// <summary>Opens an element; false when it was written whole (or is empty) and its children need no walk.</summary>
    private bool Enter(HtmlNode node)
    {
        switch (node.Name)
        {
            case "br":
                _line.Append('\n');
                _pendingSpace = false;
                return false;
            case "hr":
                Flush();
                if (_markdown)
                {
                    WriteBlock("---", false);
                }

                return false;
            case "img":
                return false;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                Flush();
                _headingLevel = node.Name[1] - '0';
                return true;
            case "ul" or "ol":
                Flush();
                _lists.Add((node.Name == "ol", Math.Max(1, node.GetAttributeValue("start", 1))));
                return true;
            case "li":
                Flush();
                if (_lists.Count == 0)
                {
                    _lists.Add((false, 1));
                }

                var list = _lists[^1];
                _itemMarker = list.Ordered ? $"{list.Next}. " : "- ";
                _lists[^1] = (list.Ordered, list.Next + 1);
                return true;
            case "blockquote":
                Flush();
                _quoteDepth++;
                return true;
            case "pre":
                Flush();
                WriteCode(node);
                return false;
            case "table" when TableRenderer.IsDataTable(node, _scorer):
                Flush();
                WriteBlock(TableRenderer.Render(node, _scorer, _markdown), false);
                return false;
            default:
                if (s_blockTags.Contains(node.Name))
                {
                    Flush();
                }

                return true;
        }
    }

    private void Exit(Frame frame)
    {
        var node = frame.Node;
        switch (node.Name)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                Flush();
                _headingLevel = 0;
                break;
            case "ul" or "ol":
                Flush();
                if (_lists.Count > 0)
                {
                    _lists.RemoveAt(_lists.Count - 1);
                }

                _lastWasItem = _lists.Count > 0;
                break;
            case "li":
                Flush();
                _itemMarker = null;
                break;
            case "blockquote":
                Flush();
                _quoteDepth--;
                break;
            case "a" when _markdown:
                var href = ResolveLink(node.GetAttributeValue("href", null));
                if (href is not null)
                {
                    Wrap(frame, "[", $"]({href})");
                }

                break;
            case "strong" or "b" when _markdown:
                Wrap(frame, "**", "**");
                break;
            case "em" or "i" when _markdown:
                Wrap(frame, "*", "*");
                break;
            case "code" or "kbd" or "samp" or "tt" when _markdown:
                Wrap(frame, "`", "`");
                break;
            default:
                if (s_blockTags.Contains(node.Name))
                {
                    Flush();
                }

                break;
        }
    }

    /// <summary>Readability's conditional cleaning, applied while writing: link lists, galleries and forms inside the content are left out.</summary>
    private bool Skip(HtmlNode node)
    {
        var passes = _scorer.Passes;
        if (node.Name is "h1" && _title is not null && HeadingRepeatsTitle(node))
        {
            return true;
        }

        if (node.Name is "h1" or "h2" && passes.HasFlag(ExtractionPasses.WeighClasses) && BoilerplatePatterns.ClassWeight(node) < 0)
        {
            return true;
        }

        if (!passes.HasFlag(ExtractionPasses.CleanConditionally))
        {
            return false;
        }

        if (node.Name is "p" or "h2" or "h3" or "h4" or "h5" or "h6" || (node.Name is "div" && !_scorer.StatsOf(node).HasBlockChild))
        {
            // "Read also: …", "Follow us on …", "Photo: …", "Related posts": short lines between the paragraphs that point away from the article.
            var block = _scorer.StatsOf(node);
            if (block.TextLength is > 0 and < MaxTeaserLength)
            {
                var text = TableRenderer.InlineText(node, _scorer.Removed, escapePipes: false);
                if (BoilerplatePatterns.IsTeaser(text) || BoilerplatePatterns.IsCredit(text))
                {
                    return true;
                }
            }
        }

        if (node.Name is "figure" or "div")
        {
            // A picture with a line or two under it, whatever element holds the line: the line is its caption.
            var figure = _scorer.StatsOf(node);
            if (figure.Images > 0 && figure.TextLength < MaxTeaserLength && (node.Name == "figure" || (figure.Paragraphs == 0 && figure.ListItems == 0)))
            {
                return true;
            }
        }

        if (node.Name is "p" or "figcaption" or "time")
        {
            // "Read more: <link>" teasers, photo credits and datelines between the paragraphs.
            var paragraph = _scorer.StatsOf(node);
            return node.Name != "p" || (paragraph.TextLength < 200 && paragraph.LinkDensity > MaxTeaserLinkDensity && !BoilerplatePatterns.IsInIngredients(node));
        }

        if (!s_conditionalTags.Contains(node.Name))
        {
            return false;
        }

        if (node.Name == "table" && TableRenderer.IsDataTable(node, _scorer))
        {
            return false;
        }

        var stats = _scorer.StatsOf(node);
        var weight = passes.HasFlag(ExtractionPasses.WeighClasses) ? BoilerplatePatterns.ClassWeight(node) : 0;
        var isList = node.Name is "ul" or "ol";

        // A list's score starts below zero so that it is never picked as the container; that penalty says nothing against its items.
        if (weight + (stats.IsCandidate && !isList ? stats.Score : 0) < 0)
        {
            return true;
        }

        if (stats.Commas >= 10)
        {
            return false;
        }

        var density = stats.LinkDensity;
        var cluttered = (stats.Images > 1 && (double)stats.Paragraphs / stats.Images < 0.5)
            || (!isList && stats.ListItems - 100 > stats.Paragraphs)
            || (!isList && stats.TextLength < 25 && (stats.Images == 0 || stats.Images > 2))
            || (weight < 25 && density > 0.2)
            || (weight >= 25 && density > 0.5);

        // A recipe's ingredients are a short list whose items link to the products: a link list by these measures, and the recipe's core.
        return cluttered && !BoilerplatePatterns.IsInIngredients(node);
    }

    private bool HeadingRepeatsTitle(HtmlNode heading)
    {
        var text = TableRenderer.InlineText(heading, _scorer.Removed, escapePipes: false);
        return string.Equals(text, _title, StringComparison.OrdinalIgnoreCase);
    }

    private void AppendText(string raw)
    {
        var text = TextMeasure.Decode(raw);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                _pendingSpace = true;
                continue;
            }

            if (_pendingSpace && _line.Length > 0 && _line[^1] is not (' ' or '\n'))
            {
                _line.Append(' ');
            }

            _pendingSpace = false;
            _line.Append(c);
        }
    }

    /// <summary>Puts Markdown markers around what an inline element wrote, outside its leading and trailing spaces; nothing when it wrote nothing.</summary>
    private void Wrap(Frame frame, string open, string close)
    {
        if (frame.Flushes != _flushes || frame.Mark > _line.Length)
        {
            return;
        }

        var inner = _line.ToString(frame.Mark, _line.Length - frame.Mark);
        var trimmed = inner.Trim();
        if (trimmed.Length == 0 || trimmed.Contains('\n'))
        {
            return;
        }

        _line.Length = frame.Mark;
        if (inner[0] == ' ')
        {
            _line.Append(' ');
        }

        _line.Append(open).Append(trimmed).Append(close);
        if (inner[^1] == ' ')
        {
            _line.Append(' ');
        }
    }

    private string? ResolveLink(string? href)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return null;
        }

        href = TextMeasure.Decode(href.Trim());
        if (href.StartsWith('#'))
        {
            return null;
        }

        Uri? uri;
        if (_baseUrl is not null)
        {
            if (!Uri.TryCreate(_baseUrl, href, out uri))
            {
                return null;
            }
        }
        else if (!Uri.TryCreate(href, UriKind.Absolute, out uri))
        {
            // Without a base a relative link has nowhere to point; it stays as its text.
            return null;
        }

        return uri.Scheme is "http" or "https" or "mailto" or "ftp" ? uri.AbsoluteUri.Replace(" ", "%20").Replace(")", "%29") : null;
    }

    private void WriteCode(HtmlNode pre)
    {
        var code = TableRenderer.RawText(pre, _scorer.Removed).Trim('\n', '\r');
        if (code.Trim().Length == 0)
        {
            return;
        }

        if (!_markdown)
        {
            WriteBlock(code, false);
            return;
        }

        var language = CodeLanguage(pre) ?? (pre.FirstChild is { Name: "code" } inner ? CodeLanguage(inner) : null);
        var fence = code.Contains("```") ? "~~~~" : "```";
        WriteBlock($"{fence}{language}\n{code}\n{fence}", false);
    }

    private static string? CodeLanguage(HtmlNode node)
    {
        foreach (var word in node.GetAttributeValue("class", "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var prefix in (ReadOnlySpan<string>)["language-", "lang-"])
            {
                if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && word.Length > prefix.Length && word.Length < 30)
                {
                    return word[prefix.Length..];
                }
            }
        }

        return null;
    }

    /// <summary>Ends the paragraph being written: a heading, a list item or a plain paragraph.</summary>
    private void Flush()
    {
        _flushes++;
        _pendingSpace = false;
        var text = _line.ToString().Trim();
        _line.Clear();
        if (text.Length == 0)
        {
            return;
        }

        if (_headingLevel > 0)
        {
            text = text.Replace('\n', ' ');
            if (_markdown)
            {
                text = new string('#', _headingLevel) + " " + text;
            }
        }

        if (_markdown)
        {
            // Markdown needs two trailing spaces for a line break inside a paragraph.
            text = text.Replace("\n", "  \n");
        }

        WriteBlock(text, _lists.Count > 0);
    }

    private void WriteBlock(string text, bool inList)
    {
        if (Truncated)
        {
            return;
        }

        var indent = inList ? new string(' ', 2 * (_lists.Count - 1)) : "";
        var block = new StringBuilder(text.Length + 16);
        var first = true;
        foreach (var line in text.Split('\n'))
        {
            if (!first)
            {
                block.Append('\n');
            }

            if (_markdown && _quoteDepth > 0)
            {
                block.Append('>', _quoteDepth).Append(' ');
            }

            if (inList)
            {
                block.Append(indent);
                block.Append(first && _itemMarker is not null ? _itemMarker : "  ");
            }

            block.Append(line);
            first = false;
        }

        var separator = _out.Length == 0 ? "" : inList && (_lastWasItem || _itemMarker is null) ? "\n" : "\n\n";
        var room = _budget - _out.Length - separator.Length;
        if (block.Length > room)
        {
            // The block that does not fit is cut at a word, so the budget is used and no word is split.
            Truncated = true;
            if (room > 0)
            {
                var cut = block.ToString(0, room);
                var space = cut.LastIndexOf(' ');
                cut = space > room / 2 ? cut[..space] : cut;
                if (cut.Length > 0 && char.IsHighSurrogate(cut[^1]))
                {
                    cut = cut[..^1];
                }

                _out.Append(separator).Append(cut);
            }

            return;
        }

        _out.Append(separator).Append(block);
        _lastWasItem = inList;
        _itemMarker = null;
    }
}
