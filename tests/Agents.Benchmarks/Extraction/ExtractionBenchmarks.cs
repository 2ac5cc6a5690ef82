using Agents.Tools.Web.Extraction;
using BenchmarkDotNet.Attributes;

namespace Agents.Benchmarks.Extraction;

/// <summary>
/// Main-content extraction of one mid-size page (<see cref="MidSizePage"/>, about 100 KB). Pages per second
/// on real pages come from <c>--extraction-eval</c> over trafilatura's corpus.
/// </summary>
[MemoryDiagnoser]
public class ExtractionBenchmarks
{
    private readonly MainContentExtractor _extractor = new();
    private readonly Uri _baseUrl = new("https://coast.example/news/harbour-works");
    private string _html = "";

    [GlobalSetup]
    public void Setup()
    {
        _html = MidSizePage.Build();

        // A broken extraction is never timed: the article must be in, the furniture out.
        var page = _extractor.Extract(_html, _baseUrl);
        if (!page.Markdown.Contains("Paragraph 39:", StringComparison.Ordinal) || !page.Markdown.Contains("| Phase 12 |", StringComparison.Ordinal)
            || page.Markdown.Contains("Comment 0:", StringComparison.Ordinal) || page.Markdown.Contains("most-read", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The benchmark page did not extract as expected:\n" + page.Markdown);
        }
    }

    [Benchmark(Description = "extract a 100 KB news page (Markdown + text)")]
    public ExtractedPage Extract() => _extractor.Extract(_html, _baseUrl);
}
