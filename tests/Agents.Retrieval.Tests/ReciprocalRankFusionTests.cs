namespace Agents.Retrieval.Tests;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_SumsOneOverKPlusRankAcrossRankings()
    {
        var fused = ReciprocalRankFusion.Fuse([["a", "b", "c"], ["c", "a"]]);

        Assert.Equal(["a", "c", "b"], fused.Select(f => f.Key));
        Assert.Equal(1d / 61 + 1d / 62, fused[0].Score, 15);
        Assert.Equal(1d / 63 + 1d / 61, fused[1].Score, 15);
        Assert.Equal(1d / 62, fused[2].Score, 15);
    }

    [Fact]
    public void Fuse_WithKZero_GivesTheFirstRankAWholePoint()
    {
        var fused = ReciprocalRankFusion.Fuse([["x", "y"], ["y"]], k: 0);

        Assert.Equal(["y", "x"], fused.Select(f => f.Key));
        Assert.Equal(1.5, fused[0].Score, 15);
        Assert.Equal(1.0, fused[1].Score, 15);
    }

    [Fact]
    public void Fuse_BreaksTiesByFirstSeen()
    {
        // "b" and "a" tie (each first once, absent once); "b" was seen first.
        var fused = ReciprocalRankFusion.Fuse([["b"], ["a"]]);

        Assert.Equal(["b", "a"], fused.Select(f => f.Key));
        Assert.Equal(fused[0].Score, fused[1].Score);
    }

    [Fact]
    public void Fuse_OfMirroredRankings_TiesTheEndsAndKeepsFirstSeenOrder()
    {
        var fused = ReciprocalRankFusion.Fuse([[1, 2, 3], [3, 2, 1]], k: 1);

        Assert.Equal([1, 3, 2], fused.Select(f => f.Key));
        Assert.Equal(1d / 2 + 1d / 4, fused[0].Score, 15);
        Assert.Equal(fused[0].Score, fused[1].Score);
        Assert.Equal(1d / 3 + 1d / 3, fused[2].Score, 15);
    }

    [Fact]
    public void Fuse_OfNoRankingsOrEmptyRankings_IsEmpty()
    {
        Assert.Empty(ReciprocalRankFusion.Fuse(Array.Empty<string[]>()));
        Assert.Empty(ReciprocalRankFusion.Fuse<string>([[], []]));
    }

    [Fact]
    public void Fuse_WithOneEmptyRanking_KeepsTheOther()
    {
        var fused = ReciprocalRankFusion.Fuse([[], ["p", "q"]]);

        Assert.Equal(["p", "q"], fused.Select(f => f.Key));
        Assert.Equal(1d / 61, fused[0].Score, 15);
    }

    [Fact]
    public void Fuse_CountsAnItemRepeatedInOneRankingAtEachRank()
    {
        // A ranking should not repeat items; if one does, each occurrence contributes, as the sum over ranks says.
        var fused = ReciprocalRankFusion.Fuse([["a", "a"]], k: 0);

        Assert.Equal(1.5, Assert.Single(fused).Score, 15);
    }

    [Fact]
    public void Fuse_RefusesNullRankingsAndNegativeK()
    {
        Assert.Throws<ArgumentNullException>(() => ReciprocalRankFusion.Fuse<string>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReciprocalRankFusion.Fuse([["a"]], k: -1));
    }

    [Fact]
    public void Fuse_OfManyRankings_ScoresMatchAHandComputedSum()
    {
        var rankings = new[] { new[] { 10, 20, 30 }, [20, 30], [30], [40, 10] };

        var fused = ReciprocalRankFusion.Fuse(rankings, k: 2);

        var expected = new Dictionary<int, double>
        {
            [10] = 1d / 3 + 1d / 4,
            [20] = 1d / 4 + 1d / 3,
            [30] = 1d / 5 + 1d / 4 + 1d / 3,
            [40] = 1d / 3,
        };
        Assert.Equal([30, 10, 20, 40], fused.Select(f => f.Key));
        Assert.All(fused, f => Assert.Equal(expected[f.Key], f.Score, 15));
    }
}
