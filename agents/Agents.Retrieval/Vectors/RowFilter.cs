using System.Numerics;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// The rows a search may return, as a bitmap: bit <c>row % 64</c> of word <c>row / 64</c>. Rows past its end never
/// match. Searches skip the rows of a zero word without reading them.
/// </summary>
public sealed class RowFilter
{
    private readonly ulong[] _words;

    /// <summary>A filter over rows 0 to <paramref name="rowCount"/> - 1 that lets none through until they are added.</summary>
    public RowFilter(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        _words = new ulong[(rowCount + 63) / 64];
        RowCount = rowCount;
    }

    /// <summary>A filter over an existing bitmap, which it uses without copying: later changes to the words show through.</summary>
    public RowFilter(ulong[] words)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(words.LongLength * 64, int.MaxValue, nameof(words));
        _words = words;
        RowCount = words.Length * 64;
    }

    /// <summary>How many rows the bitmap covers.</summary>
    public int RowCount { get; }

    /// <summary>How many rows the filter lets through.</summary>
    public int AllowedCount
    {
        get
        {
            var count = 0;
            foreach (var word in _words)
            {
                count += BitOperations.PopCount(word);
            }

            return count;
        }
    }

    internal ReadOnlySpan<ulong> Words => _words;

    public bool Contains(int row) => (uint)row < (uint)RowCount && (_words[row >> 6] & (1UL << row)) != 0;

    public void Add(int row)
    {
        CheckRow(row);
        _words[row >> 6] |= 1UL << row;
    }

    public void Remove(int row)
    {
        CheckRow(row);
        _words[row >> 6] &= ~(1UL << row);
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The filter covers {RowCount} rows.");
        }
    }
}
