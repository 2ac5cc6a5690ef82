using Agents.Retrieval.Vectors;

namespace Agents.Retrieval.Tests.Vectors;

public class RowFilterTests
{
    [Fact]
    public void RowsComeAndGo()
    {
        var filter = new RowFilter(130);

        filter.Add(0);
        filter.Add(64);
        filter.Add(129);
        filter.Add(129);
        filter.Remove(64);

        Assert.True(filter.Contains(0));
        Assert.False(filter.Contains(64));
        Assert.True(filter.Contains(129));
        Assert.False(filter.Contains(130));
        Assert.False(filter.Contains(-1));
        Assert.Equal(2, filter.AllowedCount);
        Assert.Equal(130, filter.RowCount);
    }

    [Fact]
    public void RowsPastTheEndAreRefused()
    {
        var filter = new RowFilter(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => filter.Add(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => filter.Remove(-1));
    }

    [Fact]
    public void AnExistingBitmapShowsThrough()
    {
        var words = new ulong[2];
        var filter = new RowFilter(words);

        words[1] = 1UL << 3;

        Assert.True(filter.Contains(67));
        Assert.Equal(128, filter.RowCount);
        Assert.Equal(1, filter.AllowedCount);
    }
}
