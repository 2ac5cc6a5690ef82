namespace Agents.Tools.Web.Extraction;

/// <summary>What one element holds, summed over its descendants: the measures the content scorer reads.</summary>
internal sealed class NodeStats
{
    /// <summary>Characters of text, whitespace runs counted as one.</summary>
    public int TextLength;

    /// <summary>Characters of text inside links.</summary>
    public int LinkTextLength;

    public int Commas;

    /// <summary>Text outside any block-level child: loose text in a div that also holds blocks, which readability wraps in a paragraph.</summary>
    public int LooseTextLength;

    public int LooseCommas;

    public int Paragraphs;

    public int ListItems;

    public int Images;

    public int LineBreaks;

    /// <summary>Whether a block-level element is among the descendants (a div without one reads as a paragraph).</summary>
    public bool HasBlockChild;

    /// <summary>The readability score, set when the element is a candidate container.</summary>
    public double Score;

    public bool IsCandidate;

    public double LinkDensity => TextLength == 0 ? 0 : (double)LinkTextLength / TextLength;
}
