using System.Numerics;
using System.Runtime.CompilerServices;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Scores every row a filter lets through and keeps the best: rows go in chunks to one or more workers, each with
/// its own <see cref="TopMatches"/>, merged at the end. Chunks are handed out one at a time, so on a busy machine a
/// worker whose core is free takes more of them.
/// </summary>
internal static unsafe class RowScan
{
    /// <summary>Rows scored per kernel call: four filter words, and a score buffer that stays in L1.</summary>
    public const int ChunkRows = 256;

    /// <summary>Below this many bytes per worker, waking another thread costs more than its share of the scan.</summary>
    private const long MinimumBytesPerWorker = 2 << 20;

    /// <summary>A filter word with fewer rows than this is scored row by row, reading only the rows it lets through.</summary>
    private const int SparseWordRows = 16;

    public static TopMatches Collect<TScorer>(TScorer scorer, int rowCount, int keep, RowFilter? filter, ReadOnlyMemory<float> bias, int maxDegreeOfParallelism)
        where TScorer : struct, IRowScorer
    {
        var workers = Workers(rowCount, scorer.BytesPerRow, maxDegreeOfParallelism);
        var nextChunk = new StrongBox<int>();
        if (workers == 1)
        {
            var matches = new TopMatches(keep);
            Scan(ref scorer, rowCount, filter, bias, nextChunk, matches);
            return matches;
        }

        var perWorker = new TopMatches[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var own = scorer;
            perWorker[worker] = new TopMatches(keep);
            Scan(ref own, rowCount, filter, bias, nextChunk, perWorker[worker]);
        });

        var merged = new TopMatches(keep);
        foreach (var matches in perWorker)
        {
            merged.OfferAll(matches);
        }

        return merged;
    }

    /// <summary>How many threads scan <paramref name="rowCount"/> rows: one per <see cref="MinimumBytesPerWorker"/>, within the limit.</summary>
    public static int Workers(int rowCount, int bytesPerRow, int maxDegreeOfParallelism)
    {
        var chunks = (rowCount + ChunkRows - 1) / ChunkRows;
        return (int)Math.Clamp((long)rowCount * bytesPerRow / MinimumBytesPerWorker, 1, Math.Max(1, Math.Min(maxDegreeOfParallelism, chunks)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan<TScorer>(ref TScorer scorer, int rowCount, RowFilter? filter, ReadOnlyMemory<float> bias, StrongBox<int> nextChunk, TopMatches matches)
        where TScorer : struct, IRowScorer
    {
        var scores = stackalloc float[ChunkRows];
        var biasValues = bias.Span;
        var words = filter is null ? default : filter.Words;
        while (true)
        {
            var first = (Interlocked.Increment(ref nextChunk.Value) - 1) * ChunkRows;
            if (first >= rowCount)
            {
                return;
            }

            var count = Math.Min(ChunkRows, rowCount - first);
            if (filter is null)
            {
                scorer.Score(first, count, scores);
                for (var i = 0; i < count; i++)
                {
                    Consider(scores[i], first + i, biasValues, matches);
                }

                continue;
            }

            for (var start = first; start < first + count; start += 64)
            {
                var wordIndex = start >> 6;
                var wordRows = Math.Min(64, first + count - start);
                var word = wordIndex < words.Length ? words[wordIndex] : 0;
                if (wordRows < 64)
                {
                    // Bits past the matrix's last row (a filter made for more rows) are not rows.
                    word &= (1UL << wordRows) - 1;
                }

                if (BitOperations.PopCount(word) >= SparseWordRows)
                {
                    scorer.Score(start, wordRows, scores);
                    for (var rest = word; rest != 0; rest &= rest - 1)
                    {
                        var offset = BitOperations.TrailingZeroCount(rest);
                        Consider(scores[offset], start + offset, biasValues, matches);
                    }

                    continue;
                }

                for (var rest = word; rest != 0; rest &= rest - 1)
                {
                    var row = start + BitOperations.TrailingZeroCount(rest);
                    scorer.Score(row, 1, scores);
                    Consider(scores[0], row, biasValues, matches);
                }
            }
        }
    }

    private static void Consider(float score, int row, ReadOnlySpan<float> bias, TopMatches matches)
    {
        if (!bias.IsEmpty)
        {
            score += bias[row];
        }

        // Written as "not below" so NaN scores and a NaN threshold reach Offer, which orders NaN last.
        if (!(score < matches.Threshold))
        {
            matches.Offer(score, row);
        }
    }
}
