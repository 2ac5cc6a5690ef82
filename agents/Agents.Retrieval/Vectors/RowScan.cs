using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Scores every row a filter lets through and keeps the best: rows go in spans of about a megabyte to one or more
/// workers, each with its own <see cref="TopMatches"/>, merged at the end. Spans are handed out one at a time, so a
/// worker that starts late (waking a pool thread took 0.02 to 0.2 ms on the machine measured) or whose core is busy
/// takes fewer; a megabyte is long enough that the prefetch lost where a worker jumps to its next span costs little.
/// </summary>
internal static unsafe class RowScan
{
    /// <summary>Rows scored per kernel call: four filter words, and a score buffer that stays in L1.</summary>
    public const int ChunkRows = 256;

    /// <summary>Below this many bytes per worker, waking another thread costs more than its share of the scan.</summary>
    private const long MinimumBytesPerWorker = 2 << 20;

    /// <summary>About how many bytes of rows a worker takes at a time.</summary>
    private const long SpanBytes = 1 << 20;

    /// <summary>A filter word with fewer rows than this is scored row by row, reading only the rows it lets through.</summary>
    private const int SparseWordRows = 16;

    public static TopMatches Collect<TScorer>(TScorer scorer, int rowCount, int keep, RowFilter? filter, ReadOnlyMemory<float> bias, int maxDegreeOfParallelism)
        where TScorer : struct, IRowScorer
    {
        var workers = Workers(rowCount, scorer.BytesPerRow, maxDegreeOfParallelism);
        var spanRows = (int)Math.Max(1, SpanBytes / ((long)ChunkRows * scorer.BytesPerRow)) * ChunkRows;
        var nextSpan = new StrongBox<int>();
        if (workers == 1)
        {
            var matches = new TopMatches(keep);
            Scan(ref scorer, rowCount, spanRows, filter, bias, nextSpan, matches);
            return matches;
        }

        var perWorker = new TopMatches[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var own = scorer;
            perWorker[worker] = new TopMatches(keep);
            Scan(ref own, rowCount, spanRows, filter, bias, nextSpan, perWorker[worker]);
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
    private static void Scan<TScorer>(ref TScorer scorer, int rowCount, int spanRows, RowFilter? filter, ReadOnlyMemory<float> bias, StrongBox<int> nextSpan, TopMatches matches)
        where TScorer : struct, IRowScorer
    {
        var scores = stackalloc float[ChunkRows];
        var biasValues = bias.Span;
        while (true)
        {
            var spanStart = (long)(Interlocked.Increment(ref nextSpan.Value) - 1) * spanRows;
            if (spanStart >= rowCount)
            {
                return;
            }

            var spanEnd = (int)Math.Min(rowCount, spanStart + spanRows);
            for (var first = (int)spanStart; first < spanEnd; first += ChunkRows)
            {
                var count = Math.Min(ChunkRows, spanEnd - first);
                if (filter is null)
                {
                    Score(ref scorer, first, count, biasValues, scores);
                    KeepBest(scores, first, count, matches);
                }
                else
                {
                    ScanFiltered(ref scorer, first, count, filter.Words, biasValues, scores, matches);
                }
            }
        }
    }

    /// <summary>One chunk through the filter, a 64-row word at a time: an empty word is skipped unread, a sparse one scored row by row.</summary>
    private static void ScanFiltered<TScorer>(ref TScorer scorer, int first, int count, ReadOnlySpan<ulong> words, ReadOnlySpan<float> bias, float* scores, TopMatches matches)
        where TScorer : struct, IRowScorer
    {
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
                Score(ref scorer, start, wordRows, bias, scores);
                for (var rest = word; rest != 0; rest &= rest - 1)
                {
                    var offset = BitOperations.TrailingZeroCount(rest);
                    Consider(scores[offset], start + offset, matches);
                }

                continue;
            }

            for (var rest = word; rest != 0; rest &= rest - 1)
            {
                var row = start + BitOperations.TrailingZeroCount(rest);
                Score(ref scorer, row, 1, bias, scores);
                Consider(scores[0], row, matches);
            }
        }
    }

    /// <summary>Scores consecutive rows and adds their bias, if any.</summary>
    private static void Score<TScorer>(ref TScorer scorer, int first, int count, ReadOnlySpan<float> bias, float* scores)
        where TScorer : struct, IRowScorer
    {
        scorer.Score(first, count, scores);
        if (!bias.IsEmpty)
        {
            var span = new Span<float>(scores, count);
            TensorPrimitives.Add(span, bias.Slice(first, count), span);
        }
    }

    /// <summary>Offers the rows that can enter; most rows score below the worst kept match, and four at a time are skipped with one comparison.</summary>
    private static void KeepBest(float* scores, int first, int count, TopMatches matches)
    {
        var i = 0;
        for (; i + Vector128<float>.Count <= count; i += Vector128<float>.Count)
        {
            if (Vector128.LessThanAll(Vector128.Load(scores + i), Vector128.Create(matches.Threshold)))
            {
                continue;
            }

            for (var k = i; k < i + Vector128<float>.Count; k++)
            {
                Consider(scores[k], first + k, matches);
            }
        }

        for (; i < count; i++)
        {
            Consider(scores[i], first + i, matches);
        }
    }

    private static void Consider(float score, int row, TopMatches matches)
    {
        // Written as "not below" so NaN scores and a NaN threshold reach Offer, which orders NaN last.
        if (!(score < matches.Threshold))
        {
            matches.Offer(score, row);
        }
    }
}
