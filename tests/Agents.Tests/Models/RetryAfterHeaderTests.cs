using Agents.Models;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Tests.Models;

public sealed class RetryAfterHeaderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Seconds_AreTheWait()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), Read(("Retry-After", "120")));
    }

    [Fact]
    public void HttpDate_IsTheTimeLeftUntilThen()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Read(("Retry-After", "Wed, 01 Jan 2025 00:00:30 GMT")));
    }

    [Fact]
    public void HttpDate_InThePast_MeansNoWait()
    {
        Assert.Equal(TimeSpan.Zero, Read(("Retry-After", "Tue, 31 Dec 2024 23:59:00 GMT")));
    }

    [Fact]
    public void Milliseconds_FromOpenAI_WinOverSeconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Read(("retry-after-ms", "1500"), ("Retry-After", "2")));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    public void Garbage_IsIgnored(string value)
    {
        Assert.Null(Read(("Retry-After", value)));
    }

    [Fact]
    public void Absent_IsNull()
    {
        Assert.Null(Read());
    }

    private TimeSpan? Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return RetryAfterHeader.Read(response.Headers, _time);
    }
}
