using System.Net;
using System.Text;
using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>Small measures and clean-ups of page text.</summary>
internal static class TextMeasure
{
    /// <summary>The length the text has once runs of whitespace are one space and the ends are trimmed.</summary>
    public static int CollapsedLength(string text)
    {
        var length = 0;
        var inSpace = true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }

            if (inSpace && length > 0)
            {
                length++;
            }

            inSpace = false;
            length++;
        }

        return length;
    }

    /// <summary>Commas in any script: a sentence with clauses is prose, not a menu.</summary>
    public static int Commas(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (c is ',' or '，' or '、' or '،')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether the element's last text ends a sentence (checked on the last text node only, to stay cheap).</summary>
    public static bool EndsSentence(HtmlNode element)
    {
        var node = element.LastChild;
        while (node is not null && node.NodeType == HtmlNodeType.Element)
        {
            node = node.LastChild;
        }

        var text = node is HtmlTextNode textNode ? textNode.Text.TrimEnd() : "";
        return text.Length > 0 && text[^1] is '.' or '!' or '?' or '。' or '"' or '»' or '“' or ')';
    }

    /// <summary>Decodes character references and drops control characters and lone surrogates a hostile page may encode.</summary>
    public static string Decode(string raw)
    {
        var text = raw.Contains('&') ? WebUtility.HtmlDecode(raw) : raw;
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
            }
            else if (c >= ' ' || c is '\t' or '\n' or '\r')
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
        {
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
