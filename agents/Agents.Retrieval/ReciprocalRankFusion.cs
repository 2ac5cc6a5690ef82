namespace Agents.Retrieval;

/// <summary>
/// Reciprocal rank fusion (Cormack et al., 2009): each ranking gives an item 1 / (k + rank), summed over rankings.
/// It needs no score calibration between BM25 and cosine, which is why hybrid search uses it.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The constant from the paper; it damps the weight of the very first ranks.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses <paramref name="rankings"/> (each best first) into one list, best first; ties keep first-seen order.</summary>
    public static IReadOnlyList<(TKey Key, double Score)> Fuse<TKey>(IEnumerable<IEnumerable<TKey>> rankings, int k = DefaultK)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);

        var scores = new Dictionary<TKey, (double Score, int FirstSeen)>();
        foreach (var ranking in rankings)
        {
            var rank = 0;
            foreach (var key in ranking)
            {
                rank++;
                var contribution = 1d / (k + rank);
                scores[key] = scores.TryGetValue(key, out var current)
                    ? (current.Score + contribution, current.FirstSeen)
                    : (contribution, scores.Count);
            }
        }

        return [.. scores
            .OrderByDescending(entry => entry.Value.Score)
            .ThenBy(entry => entry.Value.FirstSeen)
            .Select(entry => (entry.Key, entry.Value.Score))];
    }
}
