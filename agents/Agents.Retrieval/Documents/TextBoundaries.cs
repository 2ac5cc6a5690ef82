namespace Agents.Retrieval.Documents;

/// <summary>Where a text may be cut when a block is too long for one chunk: after a sentence, else between words.</summary>
internal static class TextBoundaries
{
    /// <summary>
    /// The last cut point in [<paramref name="from"/>, <paramref name="to"/>] that ends a sentence or a line, or -1.
    /// A sentence ends at . ! ? … followed by white space, or at the full-width 。！？ (CJK text puts no space after them).
    /// </summary>
    public static int LastSentenceEnd(string text, int from, int to)
    {
        for (var p = Math.Min(to, text.Length - 1); p >= Math.Max(from, 1); p--)
        {
            var before = text[p - 1];
            if (text[p] == '\n'
                || (before is '.' or '!' or '?' or '…' && char.IsWhiteSpace(text[p]))
                || before is '。' or '！' or '？')
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>The last white space in [<paramref name="from"/>, <paramref name="to"/>], where a cut falls between two words, or -1.</summary>
    public static int LastWordEnd(string text, int from, int to)
    {
        for (var p = Math.Min(to, text.Length - 1); p >= Math.Max(from, 1); p--)
        {
            if (char.IsWhiteSpace(text[p]))
            {
                return p;
            }
        }

        return -1;
    }

    /// <summary>
    /// Moves a cut point that falls inside a word forward to the next word's start, or leaves it when the rest up to
    /// <paramref name="end"/> is one word; white space at the point is skipped either way.
    /// </summary>
    public static int NextWordStart(string text, int point, int end)
    {
        var p = point;
        if (p > 0 && p < end && !char.IsWhiteSpace(text[p - 1]) && !char.IsWhiteSpace(text[p]))
        {
            while (p < end && !char.IsWhiteSpace(text[p]))
            {
                p++;
            }

            if (p == end)
            {
                p = point;
            }
        }

        return SkipWhiteSpace(text, p, end);
    }

    public static int SkipWhiteSpace(string text, int point, int end)
    {
        while (point < end && char.IsWhiteSpace(text[point]))
        {
            point++;
        }

        return point;
    }

    public static int TrimEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end;
    }

    /// <summary>Steps back off the middle of a surrogate pair, so a cut never splits a character.</summary>
    public static int AtCharacter(string text, int point) =>
        point > 0 && point < text.Length && char.IsLowSurrogate(text[point]) && char.IsHighSurrogate(text[point - 1]) ? point - 1 : point;
}
