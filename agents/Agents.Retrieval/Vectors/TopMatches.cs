namespace Agents.Retrieval.Vectors;

/// <summary>
/// The best matches seen so far, at most a fixed number: a binary heap with the worst kept match at its root, so
/// a scan pays one comparison against <see cref="Threshold"/> for most rows and never sorts all scores. Order:
/// higher score first, NaN below every number, equal scores by lower row.
/// </summary>
internal sealed class TopMatches(int capacity)
{
    private readonly VectorMatch[] _heap = new VectorMatch[capacity];

    public int Count { get; private set; }

    /// <summary>A score below this cannot enter: the worst kept score once full, negative infinity before.</summary>
    public float Threshold { get; private set; } = float.NegativeInfinity;

    /// <summary>The kept matches, in heap order.</summary>
    public ReadOnlySpan<VectorMatch> Kept => _heap.AsSpan(0, Count);

    public void Offer(float score, int row)
    {
        var match = new VectorMatch(row, score);
        if (Count < _heap.Length)
        {
            var hole = Count++;
            while (hole > 0 && IsBetter(_heap[(hole - 1) / 2], match))
            {
                _heap[hole] = _heap[(hole - 1) / 2];
                hole = (hole - 1) / 2;
            }

            _heap[hole] = match;
        }
        else if (IsBetter(match, _heap[0]))
        {
            ReplaceWorst(match);
        }
        else
        {
            return;
        }

        if (Count == _heap.Length)
        {
            Threshold = _heap[0].Score;
        }
    }

    public void OfferAll(TopMatches other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Offer(other._heap[i].Score, other._heap[i].Row);
        }
    }

    /// <summary>The kept matches, best first.</summary>
    public VectorMatch[] ToArray()
    {
        var matches = _heap[..Count];
        Array.Sort(matches, static (a, b) => IsBetter(a, b) ? -1 : IsBetter(b, a) ? 1 : 0);
        return matches;
    }

    private static bool IsBetter(VectorMatch match, VectorMatch other)
    {
        var order = match.Score.CompareTo(other.Score);
        return order > 0 || (order == 0 && match.Row < other.Row);
    }

    /// <summary>Puts the match at the root, in place of the worst kept one, and sinks it to where it belongs.</summary>
    private void ReplaceWorst(VectorMatch match)
    {
        var hole = 0;
        while (true)
        {
            var child = (2 * hole) + 1;
            if (child + 1 < Count && IsBetter(_heap[child], _heap[child + 1]))
            {
                child++;
            }

            if (child >= Count || !IsBetter(match, _heap[child]))
            {
                break;
            }

            _heap[hole] = _heap[child];
            hole = child;
        }

        _heap[hole] = match;
    }
}
