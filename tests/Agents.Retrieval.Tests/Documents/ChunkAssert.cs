using Agents.Retrieval.Documents;
using Microsoft.ML.Tokenizers;

namespace Agents.Retrieval.Tests.Documents;

/// <summary>The chunker's promises, checked on any document: budget, ranges, order, coverage.</summary>
internal static class ChunkAssert
{
    public static void Valid(ParsedDocument document, IReadOnlyList<TextChunk> chunks, Tokenizer tokenizer, int maxTokens)
    {
        var covered = new bool[document.Text.Length];
        var previousEnd = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Index);
            Assert.Equal(document.Text[chunk.Start..chunk.End], chunk.Text);
            Assert.Equal(tokenizer.CountTokens(chunk.Text), chunk.TokenCount);
            Assert.InRange(chunk.TokenCount, 1, maxTokens);
            Assert.True(chunk.End > previousEnd, $"chunk {i} ends at {chunk.End}, not after the chunk before ({previousEnd})");
            Assert.Equal(chunk.Text.Trim(), chunk.Text);
            previousEnd = chunk.End;
            Array.Fill(covered, true, chunk.Start, chunk.End - chunk.Start);
        }

        foreach (var block in document.Blocks)
        {
            for (var p = block.Start; p < block.End; p++)
            {
                if (!covered[p] && !char.IsWhiteSpace(document.Text[p]))
                {
                    Assert.Fail($"character {p} ('{document.Text[p]}') of a block is in no chunk");
                }
            }
        }
    }
}
