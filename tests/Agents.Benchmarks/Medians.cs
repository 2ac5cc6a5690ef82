namespace Agents.Benchmarks;

/// <summary>The middle of repeated timings: on a shared machine one slow round should not move the result.</summary>
internal static class Medians
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
