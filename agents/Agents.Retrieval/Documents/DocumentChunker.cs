using Microsoft.ML.Tokenizers;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Cuts a <see cref="ParsedDocument"/> into chunks for embedding, by structure and within a token budget counted
/// with the embedding model's own tokenizer:
/// <list type="bullet">
/// <item>a chunk never crosses a top-level section (see <see cref="TextChunk.HeadingPath"/>);</item>
/// <item>whole blocks are packed up to <see cref="ChunkingOptions.MaxTokens"/>, and a heading is not left at a chunk's end;</item>
/// <item>a block too long for one chunk is cut after a sentence, else between words, else between tokens;</item>
/// <item>within a section, each chunk starts with the last <see cref="ChunkingOptions.OverlapTokens"/> of the one before.</item>
/// </list>
/// Every chunk is a range of the document's text, so it can be cited by position.
/// </summary>
public sealed class DocumentChunker
{
    private const int MinMaxTokens = 8;

    // Text handed to the tokenizer is bounded by an estimate of the characters the budget needs: some tokenizers are
    // quadratic in the length of one unbroken run (a 1 MB "word"), so the whole remaining text is never passed.
    private const double InitialCharactersPerToken = 4;

    private readonly Tokenizer _tokenizer;
    private readonly int _maxTokens;
    private readonly int _overlapTokens;

    public DocumentChunker(Tokenizer tokenizer, ChunkingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new ChunkingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, MinMaxTokens, nameof(ChunkingOptions.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(options.OverlapTokens, nameof(ChunkingOptions.OverlapTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.OverlapTokens, options.MaxTokens / 2, nameof(ChunkingOptions.OverlapTokens));
        _tokenizer = tokenizer;
        _maxTokens = options.MaxTokens;
        _overlapTokens = options.OverlapTokens;
    }

    /// <summary>Cuts <paramref name="document"/> into chunks, in document order.</summary>
    /// <exception cref="ArgumentException">The document's blocks are out of order, overlap, or fall outside its text.</exception>
    public IReadOnlyList<TextChunk> Chunk(ParsedDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        Validate(document);

        var run = new Run(this, document, new DocumentOutline(document.Blocks), cancellationToken);
        foreach (var (first, last) in run.Outline.Sections)
        {
            run.ChunkSection(first, last);
        }

        return run.Chunks;
    }

    private static void Validate(ParsedDocument document)
    {
        var previousEnd = 0;
        for (var i = 0; i < document.Blocks.Count; i++)
        {
            var block = document.Blocks[i];
            if (block.Start < previousEnd || block.End < block.Start || block.End > document.Text.Length)
            {
                throw new ArgumentException(
                    $"Block {i} of '{document.Source}' spans {block.Start}..{block.End}, which is out of order, overlaps the block before, or lies outside the text ({document.Text.Length} characters).",
                    nameof(document));
            }

            previousEnd = block.End;
        }
    }

    /// <summary>The state of one <see cref="Chunk"/> call.</summary>
    private sealed class Run(DocumentChunker chunker, ParsedDocument document, DocumentOutline outline, CancellationToken cancellationToken)
    {
        private readonly string _text = document.Text;
        private readonly IReadOnlyList<DocumentBlock> _blocks = document.Blocks;
        private double _charactersPerToken = InitialCharactersPerToken;

        public DocumentOutline Outline { get; } = outline;

        public List<TextChunk> Chunks { get; } = [];

        public void ChunkSection(int firstBlock, int lastBlock)
        {
            var sectionEnd = _blocks[lastBlock].End;
            var contentStart = _blocks[firstBlock].Start;
            TextChunk? previous = null;
            while ((contentStart = TextBoundaries.SkipWhiteSpace(_text, contentStart, sectionEnd)) < sectionEnd)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = previous is null ? contentStart : OverlapStart(previous, contentStart);
                var (chunkStart, end, cut, tokens) = FitChunk(start, contentStart, sectionEnd, firstBlock, lastBlock);
                previous = AddChunk(chunkStart, end, tokens);
                contentStart = cut;
            }
        }

        /// <summary>Finds the chunk that starts at <paramref name="start"/> and ends at the best boundary its budget reaches.</summary>
        private (int Start, int End, int Cut, int Tokens) FitChunk(int start, int contentStart, int sectionEnd, int firstBlock, int lastBlock)
        {
            var budget = chunker._maxTokens;
            while (true)
            {
                var limit = TokenLimit(start, sectionEnd, budget);
                if (limit <= contentStart && start < contentStart)
                {
                    // The overlap alone fills the budget (only with a budget cut down below): new text comes first.
                    (start, budget) = (contentStart, chunker._maxTokens);
                    continue;
                }

                var cut = limit >= sectionEnd ? sectionEnd : BestCut(contentStart, limit, firstBlock, lastBlock);
                var end = TextBoundaries.TrimEnd(_text, start, cut);
                var tokens = chunker._tokenizer.CountTokens(_text.AsSpan(start, end - start));
                if (tokens <= chunker._maxTokens)
                {
                    return (start, end, cut, tokens);
                }

                if (budget == 1 && start == contentStart)
                {
                    throw new InvalidOperationException(
                        $"The tokenizer counts {tokens} tokens for the shortest piece of '{document.Source}' at character {start}, more than MaxTokens ({chunker._maxTokens}); raise MaxTokens.");
                }

                // The window's count and the chunk's own count can differ where the window cut a word; ask for less.
                budget = Math.Max(1, budget - (tokens - chunker._maxTokens));
            }
        }

        /// <summary>How far from <paramref name="start"/> the text holds at most <paramref name="budget"/> tokens; at least one character.</summary>
        private int TokenLimit(int start, int sectionEnd, int budget)
        {
            var remaining = sectionEnd - start;
            var window = (int)Math.Min(remaining, (budget * _charactersPerToken * 1.25) + 16);
            while (true)
            {
                var index = chunker._tokenizer.GetIndexByTokenCount(
                    _text.AsSpan(start, window), budget, out _, out _, considerNormalization: false);
                if (index < window || window == remaining)
                {
                    var limit = TextBoundaries.AtCharacter(_text, start + index);
                    return limit > start ? limit : start + (char.IsHighSurrogate(_text[start]) && remaining > 1 ? 2 : 1);
                }

                // The whole window fitted and there is more text: the estimate was low, so look further.
                window = (int)Math.Min(remaining, (long)window * 2);
            }
        }

        /// <summary>The best place to end a chunk between <paramref name="contentStart"/> and <paramref name="limit"/>.</summary>
        private int BestCut(int contentStart, int limit, int firstBlock, int lastBlock)
        {
            var blockEnd = LastBlockEnd(contentStart, limit, firstBlock, lastBlock);
            if (blockEnd > 0)
            {
                return blockEnd;
            }

            // Inside one long block: a sentence or word boundary, but only in the second half, so that a boundary
            // near the start does not make a chunk far smaller than the budget allows.
            var half = contentStart + ((limit - contentStart) / 2);
            var sentenceEnd = TextBoundaries.LastSentenceEnd(_text, Math.Max(half, contentStart + 1), limit);
            if (sentenceEnd > 0)
            {
                return sentenceEnd;
            }

            var wordEnd = TextBoundaries.LastWordEnd(_text, Math.Max(half, contentStart + 1), limit);
            return wordEnd > 0 ? wordEnd : limit;
        }

        /// <summary>The end of the last whole non-heading block within (<paramref name="contentStart"/>, <paramref name="limit"/>], or -1.</summary>
        private int LastBlockEnd(int contentStart, int limit, int firstBlock, int lastBlock)
        {
            var low = firstBlock;
            var high = lastBlock;
            var found = -1;
            while (low <= high)
            {
                var middle = low + ((high - low) / 2);
                if (_blocks[middle].End <= limit)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            // A heading ends a chunk only if the chunk would otherwise hold nothing else: it belongs with what follows.
            for (var i = found; i >= firstBlock && _blocks[i].End > contentStart; i--)
            {
                if (_blocks[i].Kind != DocumentBlockKind.Heading)
                {
                    return _blocks[i].End;
                }
            }

            return -1;
        }

        /// <summary>Where the next chunk starts so that it repeats the end of <paramref name="previous"/>: a word start, never before half of it.</summary>
        private int OverlapStart(TextChunk previous, int contentStart)
        {
            var overlap = Math.Min(chunker._overlapTokens, previous.TokenCount / 2);
            if (overlap == 0)
            {
                return contentStart;
            }

            // Only the previous chunk's tail is tokenized, for the same reason as in TokenLimit.
            var length = previous.End - previous.Start;
            var window = (int)Math.Min(length, (overlap * _charactersPerToken * 2) + 16);
            int index;
            while ((index = chunker._tokenizer.GetIndexByTokenCountFromEnd(
                _text.AsSpan(previous.End - window, window), overlap, out _, out _, considerNormalization: false)) == 0 && window < length)
            {
                window = (int)Math.Min(length, (long)window * 2);
            }

            var point = TextBoundaries.AtCharacter(_text, previous.End - window + index);
            var start = TextBoundaries.NextWordStart(_text, point, previous.End);
            return start < previous.End ? start : contentStart;
        }

        private TextChunk AddChunk(int start, int end, int tokens)
        {
            var first = FirstBlockEndingAfter(start);
            var last = first;
            while (last + 1 < _blocks.Count && _blocks[last + 1].Start < end)
            {
                last++;
            }

            var chunk = new TextChunk(Chunks.Count, _text[start..end], Outline.CommonPath(first, last), _blocks[first].Page, start, end, tokens);
            Chunks.Add(chunk);
            if (tokens > 0)
            {
                _charactersPerToken = Math.Max(0.25, (double)(end - start) / tokens);
            }

            return chunk;
        }

        private int FirstBlockEndingAfter(int position)
        {
            var low = 0;
            var high = _blocks.Count - 1;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (_blocks[middle].End > position)
                {
                    high = middle;
                }
                else
                {
                    low = middle + 1;
                }
            }

            return low;
        }
    }
}
