using Agents.Retrieval.Documents;

namespace Agents.Retrieval.Tests.Documents;

/// <summary>Checks every reader's promise: each block is exactly its range of the document's text, in order.</summary>
internal static class DocumentAssert
{
    public static void BlocksMatchText(ParsedDocument document)
    {
        var previousEnd = 0;
        foreach (var block in document.Blocks)
        {
            Assert.True(block.Start >= previousEnd, $"block at {block.Start} overlaps the one before (ending at {previousEnd})");
            Assert.Equal(block.Text, document.Text[block.Start..block.End]);
            Assert.False(string.IsNullOrWhiteSpace(block.Text));
            previousEnd = block.End;
        }
    }

    public static (DocumentBlockKind Kind, string Text, int Level)[] Shape(ParsedDocument document) =>
        [.. document.Blocks.Select(b => (b.Kind, b.Text, b.HeadingLevel))];
}
