using Agents.Tools.Time;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Tests.Time;

public sealed class CurrentTimeToolTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task Returns_utc_now_when_no_zone_is_given()
    {
        var result = await CurrentTimeTool.CreateFunction(Clock).InvokeAsync(new Kernel());

        Assert.Equal("2026-11-25T15:30:00+00:00 (Wednesday)", result.GetValue<string>());
    }

    [Fact]
    public async Task Converts_to_an_iana_time_zone()
    {
        var result = await CurrentTimeTool.CreateFunction(Clock).InvokeAsync(new Kernel(), new KernelArguments { ["timeZone"] = "Asia/Tokyo" });

        Assert.Equal("2026-11-26T00:30:00+09:00 (Thursday)", result.GetValue<string>());
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    [InlineData("Europe/Paris\0")]
    public async Task Refuses_unknown_or_hostile_zones_with_a_clear_error(string zone)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => CurrentTimeTool.CreateFunction(Clock).InvokeAsync(new Kernel(), new KernelArguments { ["timeZone"] = zone }));

        var argument = error as ArgumentException ?? error.InnerException as ArgumentException;
        Assert.NotNull(argument);
        Assert.Contains("Unknown time zone", argument.Message);
    }

    [Fact]
    public void Is_exposed_to_the_model_as_current_time_with_an_optional_zone()
    {
        var function = CurrentTimeTool.CreateFunction(Clock);

        Assert.Equal("current_time", function.Name);
        var schema = function.JsonSchema.GetRawText();
        Assert.Contains("timeZone", schema);
        Assert.DoesNotContain("\"required\":[\"timeZone\"]", schema.Replace(" ", ""));
    }
}
