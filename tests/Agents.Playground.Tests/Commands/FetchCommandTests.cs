using System.Text.Json;
using Agents.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Playground.Tests.Commands;

public sealed class FetchCommandTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/notes.txt", () => Results.Text("Notes from the loopback server.\nSecond line.", "text/plain; charset=utf-8"));
            app.MapGet("/page.html", () => Results.Content(
                "<html><head><title>Loopback news</title></head><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
                + "<article><h1>Loopback news</h1><p>The main story of the page, long enough to be the article, with a <a href='/more'>link</a>.</p>"
                + "<p>A second paragraph keeps the article ahead of the navigation, as real pages do.</p></article>"
                + "<footer>Copyright and cookie notice</footer></body></html>", "text/html"));
            app.MapGet("/logo.png", () => Results.Bytes([0x89, 0x50, 0x4E, 0x47], "image/png"));
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Prints_the_content_of_a_page_on_an_allowed_private_address()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", Url("/notes.txt"), "--allow-private");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("Notes from the loopback server.\nSecond line.\n", result.Stdout.ReplaceLineEndings("\n"));
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Json_prints_an_object_of_url_to_text()
    {
        var url = Url("/notes.txt");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", url, "--allow-private", "--json", "--format", "text");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("Notes from the loopback server.\nSecond line.", json.GetProperty(url).GetString());
    }

    [Fact]
    public async Task Refuses_a_loopback_address_without_allow_private_in_one_sentence()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", Url("/notes.txt"));

        result.AssertOneSentenceFailure(1);
        Assert.Equal("Refused 127.0.0.1: it is a loopback address; only public internet addresses are fetched.", result.StderrLines[0]);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Refuses_the_metadata_service_even_when_asked_politely()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", "http://[::ffff:169.254.169.254]/latest/meta-data/");

        result.AssertOneSentenceFailure(1);
        Assert.StartsWith("Refused ::ffff:169.254.169.254: it is a link-local address", result.StderrLines[0]);
    }

    [Fact]
    public async Task Refuses_a_content_type_it_does_not_read()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", Url("/logo.png"), "--allow-private");

        result.AssertOneSentenceFailure(1);
        Assert.Contains("sent image/png, which web_fetch does not read", result.StderrLines[0]);
    }

    [Fact]
    public async Task An_html_page_prints_as_its_main_content_in_markdown()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", Url("/page.html"), "--allow-private");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("# Loopback news", result.Stdout);
        Assert.Contains($"[link]({Url("/more")})", result.Stdout);
        Assert.DoesNotContain("cookie notice", result.Stdout);
        Assert.DoesNotContain("About", result.Stdout);
        Assert.DoesNotContain("<p>", result.Stdout);
    }

    [Theory]
    [InlineData("example.com/page")]
    [InlineData("http://127.0.0.1\\@example.com/")]
    public async Task A_url_that_does_not_parse_is_a_usage_error(string url)
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", url);

        result.AssertOneSentenceFailure(2);
        Assert.Equal($"'{url}' is not an absolute URL; give one that starts with http:// or https://.", result.StderrLines[0]);
    }

    [Fact]
    public async Task An_unknown_format_is_a_usage_error()
    {
        var result = await AgentsProcess.RunAsync(_folder.Path, null, "fetch", Url("/notes.txt"), "--format", "pdf");

        result.AssertOneSentenceFailure(2);
        Assert.Equal("--format must be markdown or text, not 'pdf'; see 'agents fetch --help'.", result.StderrLines[0]);
    }

    private string Url(string path) => _server.Url(path).AbsoluteUri;
}
