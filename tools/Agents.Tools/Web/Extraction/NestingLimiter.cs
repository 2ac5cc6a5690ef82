using System.Text;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Unwraps elements nested deeper than a limit before the page reaches the parser, keeping their text.
/// HtmlAgilityPack parses nesting in time that grows with the square of the depth (seconds at 5,000
/// levels, half a minute at 50,000), so depth is bounded here, in one linear pass over the markup.
/// </summary>
internal static class NestingLimiter
{
    // A close tag only matches an open element this close to the top of the stack; a hostile page of
    // unmatched close tags would otherwise make every one of them search the whole stack.
    private const int MatchWindow = 64;

    private static readonly HashSet<string> s_voidElements = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> s_rawTextElements = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    };

    // Elements the parser closes when a sibling of the same kind opens (<p>a<p>b are siblings, not nested).
    private static readonly HashSet<string> s_selfClosingSiblings = new(StringComparer.Ordinal)
    {
        "p", "li", "td", "th", "tr", "option", "dt", "dd",
    };

    /// <summary>Returns <paramref name="html"/> itself when no element is deeper than <paramref name="maxDepth"/>, else a copy without the deeper tags.</summary>
    public static string Limit(string html, int maxDepth)
    {
        var stack = new List<(string Name, bool Kept)>();
        StringBuilder? output = null;
        var copied = 0;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }

            var next = html[lt + 1];
            if (next == '!' || next == '?')
            {
                i = SkipMarkupDeclaration(html, lt);
                continue;
            }

            var closing = next == '/';
            var nameStart = closing ? lt + 2 : lt + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                i = lt + 1;
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':' or '_'))
            {
                nameEnd++;
            }

            var tagEnd = FindTagEnd(html, nameEnd);
            var name = html[nameStart..nameEnd].ToLowerInvariant();
            bool keep;
            if (closing)
            {
                keep = Close(stack, name);
            }
            else
            {
                if (s_selfClosingSiblings.Contains(name) && stack.Count > 0 && SameSiblingKind(stack[^1].Name, name))
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                var selfClosing = tagEnd >= 2 && html[tagEnd - 2] == '/';
                keep = stack.Count < maxDepth;
                if (!s_voidElements.Contains(name) && !selfClosing)
                {
                    stack.Add((name, keep));
                }

                if (s_rawTextElements.Contains(name))
                {
                    // Their content is text to the parser, never tags; skipping it keeps "<" in scripts from counting.
                    var end = html.IndexOf("</" + name, tagEnd, StringComparison.OrdinalIgnoreCase);
                    tagEnd = end < 0 ? html.Length : end;
                }
            }

            if (!keep)
            {
                output ??= new StringBuilder(html.Length);
                output.Append(html, copied, lt - copied);
                copied = tagEnd;
            }

            i = tagEnd;
        }

        if (output is null)
        {
            return html;
        }

        output.Append(html, copied, html.Length - copied);
        return output.ToString();
    }

    private static bool SameSiblingKind(string open, string name) =>
        open == name || (open is "td" or "th" && name is "td" or "th");

    private static bool Close(List<(string Name, bool Kept)> stack, string name)
    {
        var floor = Math.Max(0, stack.Count - MatchWindow);
        for (var k = stack.Count - 1; k >= floor; k--)
        {
            if (stack[k].Name == name)
            {
                var kept = stack[k].Kept;
                stack.RemoveRange(k, stack.Count - k);
                return kept;
            }
        }

        // The parser ignores a close tag that matches nothing open; so may we.
        return true;
    }

    private static int SkipMarkupDeclaration(string html, int lt)
    {
        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return end < 0 ? html.Length : end + 3;
        }

        var close = html.IndexOf('>', lt + 2);
        return close < 0 ? html.Length : close + 1;
    }

    private static int FindTagEnd(string html, int from)
    {
        var quote = '\0';
        for (var k = from; k < html.Length; k++)
        {
            var c = html[k];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return k + 1;
            }
        }

        return html.Length;
    }
}
