namespace Agents.Retrieval.Vectors;

/// <summary>
/// The best matches seen so far, at most a fixed number: a binary heap with the worst kept match at its root, so
/// a scan pays one comparison against <see cref="Threshold"/> for most rows and never sorts all scores. Order:
/// higher score first, NaN below every number, equal scores by lower row.
/// </summary>
internal sealed class TopMatches
{
    private readonly float[] _scores;
    private readonly int[] _rows;

    public TopMatches(int capacity)
    {
        _scores = new float[capacity];
        _rows = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>A score below this cannot enter: the worst kept score once full, negative infinity before.</summary>
    public float Threshold { get; private set; } = float.NegativeInfinity;

    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    public void Offer(float score, int row)
    {
        if (Count < _scores.Length)
        {
            var hole = Count++;
            while (hole > 0)
            {
                var parent = (hole - 1) / 2;
                if (!IsBetter(_scores[parent], _rows[parent], score, row))
                {
                    break;
                }

                _scores[hole] = _scores[parent];
                _rows[hole] = _rows[parent];
                hole = parent;
            }

            _scores[hole] = score;
            _rows[hole] = row;
        }
        else if (IsBetter(score, row, _scores[0], _rows[0]))
        {
            SiftDown(score, row);
        }
        else
        {
            return;
        }

        if (Count == _scores.Length)
        {
            Threshold = _scores[0];
        }
    }

    public void OfferAll(TopMatches other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Offer(other._scores[i], other._rows[i]);
        }
    }

    /// <summary>The kept matches, best first.</summary>
    public VectorMatch[] ToArray()
    {
        var matches = new VectorMatch[Count];
        for (var i = 0; i < Count; i++)
        {
            matches[i] = new VectorMatch(_rows[i], _scores[i]);
        }

        Array.Sort(matches, static (a, b) => IsBetter(a.Score, a.Row, b.Score, b.Row) ? -1 : IsBetter(b.Score, b.Row, a.Score, a.Row) ? 1 : 0);
        return matches;
    }

    private static bool IsBetter(float score, int row, float otherScore, int otherRow)
    {
        var order = score.CompareTo(otherScore);
        return order > 0 || (order == 0 && row < otherRow);
    }

    /// <summary>Replaces the root (the worst kept match) and restores the heap below it.</summary>
    private void SiftDown(float score, int row)
    {
        var hole = 0;
        while (true)
        {
            var child = (2 * hole) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && IsBetter(_scores[child], _rows[child], _scores[child + 1], _rows[child + 1]))
            {
                child++;
            }

            if (!IsBetter(score, row, _scores[child], _rows[child]))
            {
                break;
            }

            _scores[hole] = _scores[child];
            _rows[hole] = _rows[child];
            hole = child;
        }

        _scores[hole] = score;
        _rows[hole] = row;
    }
}
