using System.Text.Json;
using Agents.Testing;

namespace Agents.Playground.Tests.Commands;

public sealed class ExtractCommandTests : IDisposable
{
    private const string Page = """
        <html><head><title>Tide tables | Harbour Office</title></head><body>
        <nav><a href="/">Home</a> <a href="/contact">Contact us</a></nav>
        <article><h1>Tide tables</h1>
        <p>High water today is at 06:12 and 18:40, with <a href="/tides/tomorrow">tomorrow's tides</a> published at noon, as every day.</p>
        <p>Boats over ten metres must book a berth before entering the harbour, and the office answers on channel 12.</p></article>
        <footer>Harbour Office, all rights reserved.</footer></body></html>
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task PrintsMarkdownByDefaultWithAbsoluteLinks()
    {
        var path = _folder.Write("tides.html", Page);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "extract", path, "--base-url", "https://harbour.example/info/");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("# Tide tables\n\nHigh water today is at 06:12", result.Stdout);
        Assert.Contains("[tomorrow's tides](https://harbour.example/tides/tomorrow)", result.Stdout);
        Assert.DoesNotContain("Contact us", result.Stdout);
        Assert.DoesNotContain("all rights reserved", result.Stdout);
    }

    [Fact]
    public async Task JsonMapsEveryPathToItsPlainText()
    {
        var first = _folder.Write("tides.html", Page);
        var second = _folder.Write("latin.html", "");
        File.WriteAllBytes(second, System.Text.Encoding.Latin1.GetBytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Gr\u00FC\u00DFe aus dem Hafen, wo die Boote bei jedem Wetter ein- und auslaufen.</p></body></html>"));

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "extract", "--format", "text", "--json", first, second);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.EnumerateObject().Count());
        var tides = json.RootElement.GetProperty(first).GetString()!;
        Assert.StartsWith("Tide tables\n\nHigh water today", tides);
        Assert.DoesNotContain("](", tides);
        Assert.Contains("Grüße aus dem Hafen", json.RootElement.GetProperty(second).GetString());
    }

    [Fact]
    public async Task AMissingFileIsOneSentenceAndExitTwo()
    {
        var present = _folder.Write("tides.html", Page);
        var missing = _folder.PathOf("nowhere.html");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "extract", present, missing);

        result.AssertOneSentenceFailure(2);
        Assert.Contains("nowhere.html", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task AHostileDeepPageIsExtractedAndTheNextCallWorks()
    {
        var deep = _folder.Write("deep.html", "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 50_000)) + "<p>The bottom of the page, reached, with a whole sentence.</p></body></html>");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "extract", "--format", "text", deep);
        var after = await AgentsProcess.RunAsync(_folder.Path, null, "extract", _folder.Write("tides.html", Page));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("The bottom of the page, reached", result.Stdout);
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Contains("High water today", after.Stdout);
    }

    [Fact]
    public async Task AnUnknownFormatIsAUsageError()
    {
        var path = _folder.Write("tides.html", Page);

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "extract", "--format", "pdf", path);

        result.AssertOneSentenceFailure(2);
    }
}
