using System.Text.Json;
using Agents.Testing;

namespace Agents.Playground.Tests.Commands;

public sealed class JsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PrintsOutputAndLastValue()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "js", "console.log('hi'); ({ answer: 6 * 7 })");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("hi\n=> {\"answer\":42}\n", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task JsonPrintsOutputAndResultSeparately()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "js", "--json", "console.log('hi'); [1, 2].map(x => x * 2)");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("hi\n", json.RootElement.GetProperty("output").GetString());
        Assert.Equal("[2,4]", json.RootElement.GetProperty("result").GetString());
        Assert.False(json.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task RunawayScriptExitsOneWithOneSentence()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "js", "--timeout-ms", "300", "while (true) {}");

        result.AssertOneSentenceFailure(1);
        Assert.Equal("The script ran longer than 300 ms and was stopped.", result.StderrLines[0]);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task SyntaxErrorExitsOneNamingThePlace()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "js", "var x = ;");

        result.AssertOneSentenceFailure(1);
        Assert.Equal("The script has a syntax error at line 1, column 9: Unexpected token ';'.", result.StderrLines[0]);
    }

    [Fact]
    public async Task NonPositiveTimeoutIsAUsageError()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "js", "--timeout-ms", "0", "1");

        result.AssertOneSentenceFailure(2);
    }
}
