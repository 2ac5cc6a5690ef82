namespace Agents.Retrieval.Documents;

/// <summary>How <see cref="DocumentChunker"/> sizes chunks, in tokens of the embedding model's tokenizer.</summary>
public sealed class ChunkingOptions
{
    /// <summary>The most tokens one chunk may hold, overlap included (default 256; at least 8).</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// How many tokens of the previous chunk's end a chunk repeats at its start, within one section, so a sentence
    /// cut by a chunk boundary is whole in one of the two (default 32; at most half of <see cref="MaxTokens"/>).
    /// </summary>
    public int OverlapTokens { get; set; } = 32;
}
