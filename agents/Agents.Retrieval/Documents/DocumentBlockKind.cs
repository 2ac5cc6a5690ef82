namespace Agents.Retrieval.Documents;

/// <summary>What a <see cref="DocumentBlock"/> is in its document's structure.</summary>
public enum DocumentBlockKind
{
    /// <summary>A section title; <see cref="DocumentBlock.HeadingLevel"/> says how deep (1 is the top).</summary>
    Heading,

    /// <summary>Running text.</summary>
    Paragraph,

    /// <summary>One item of a bulleted or numbered list, with its marker (<c>- </c> or <c>3. </c>).</summary>
    ListItem,

    /// <summary>A code block, verbatim, without its fences.</summary>
    Code,

    /// <summary>A table, one row a line, cells separated by <c> | </c>.</summary>
    Table,
}
