using System.Diagnostics;
using System.Text;
using Agents.Tools.Web;
using Agents.Tools.Web.Extraction;

namespace Agents.Tools.Tests.Web.Extraction;

public sealed class MainContentExtractorTests
{
    private static readonly Uri s_page = new("https://news.example.com/world/2025/article.html");

    private const string Article = """
        <!DOCTYPE html>
        <html lang="en"><head><title>Rivers return to the valley | Example News</title>
        <script>var tracking = "SCRIPT-TEXT";</script><style>.x { color: red }</style></head>
        <body>
        <div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
        <header class="site-header"><a href="/">Example News</a><nav><ul><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
        <div class="layout">
          <div id="sidebar"><h3>Most read</h3><ul><li><a href="/a">Sidebar story one</a></li><li><a href="/b">Sidebar story two</a></li></ul></div>
          <article class="post">
            <h1>Rivers return to the valley</h1>
            <p>After three dry summers, the rivers of the valley are flowing again, and farmers, fishermen and hikers are coming back to the banks they had left.</p>
            <div class="ad-slot ad"><p>ADVERTISEMENT: Buy the new phone today, limited offer, while stocks last.</p></div>
            <p>The water authority said on Monday that the spring rains, the heaviest in a decade, had refilled the reservoirs to nearly ninety percent of their capacity.</p>
            <p>Local growers, who had switched to drought-tolerant crops, now wonder whether to switch back, and the cooperative has called a meeting for next week.</p>
            <div class="share-buttons"><a href="https://twitter.example/share">Share on Twitter</a> <a href="https://facebook.example/share">Share on Facebook</a></div>
          </article>
          <section id="comments"><h3>Comments</h3><p>COMMENT-TEXT: This is the best news I have read all year, thank you so much for writing it.</p></section>
        </div>
        <footer><p>Copyright 2025 Example News. All rights reserved. Imprint and privacy policy.</p></footer>
        </body></html>
        """;

    [Fact]
    public void KeepsTheArticleAndDropsNavigationAdsBannersCommentsAndFooter()
    {
        var page = new MainContentExtractor().Extract(Article, s_page);

        Assert.Equal("Rivers return to the valley", page.Title);
        Assert.StartsWith("# Rivers return to the valley\n\n", page.Markdown);
        Assert.Contains("After three dry summers, the rivers of the valley are flowing again", page.Text);
        Assert.Contains("refilled the reservoirs", page.Text);
        Assert.Contains("the cooperative has called a meeting", page.Text);
        foreach (var furniture in new[] { "cookies", "Sport", "Sidebar story", "ADVERTISEMENT", "Share on", "COMMENT-TEXT", "Copyright", "SCRIPT-TEXT", "color: red" })
        {
            Assert.DoesNotContain(furniture, page.Markdown);
            Assert.DoesNotContain(furniture, page.Text);
        }

        // The title is the heading once, not again from the article's own <h1>.
        Assert.Single(page.Markdown.Split('\n'), line => line.Contains("Rivers return to the valley"));
        Assert.False(page.Truncated);
    }

    [Fact]
    public void WritesHeadingsListsLinksTablesCodeQuotesAndEmphasisAsMarkdown()
    {
        const string html = """
            <html><head><title>Guide</title></head><body><main>
            <h2>Install the tool</h2>
            <p>Read the <a href="../docs/setup.html">setup guide</a> and the <a href="https://other.example/faq">FAQ</a>, then run it with <strong>care</strong> and <em>patience</em>; the <code>--force</code> flag skips checks.</p>
            <ul><li>First step, which downloads the package and checks its signature.</li>
              <li>Second step<ol><li>nested one</li><li>nested two</li></ol></li></ul>
            <table><tr><th>Option</th><th>Meaning</th></tr><tr><td>--force</td><td>skip | checks</td></tr><tr><td>--quiet</td><td>less output</td></tr></table>
            <pre><code class="language-csharp">var x = 1;
            if (x &lt; 2) { Console.WriteLine(x); }</code></pre>
            <blockquote><p>Measure twice, cut once, as the carpenters of the old town used to say to their apprentices.</p></blockquote>
            <h3>Afterwards</h3><p>That is all there is to it, and the rest of the guide covers the details of every command.</p>
            </main></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);
        var markdown = page.Markdown;

        Assert.Contains("## Install the tool", markdown);
        Assert.Contains("### Afterwards", markdown);
        Assert.Contains("[setup guide](https://news.example.com/world/docs/setup.html)", markdown);
        Assert.Contains("[FAQ](https://other.example/faq)", markdown);
        Assert.Contains("with **care** and *patience*; the `--force` flag", markdown);
        Assert.Contains("- First step, which downloads the package and checks its signature.\n- Second step\n  1. nested one\n  2. nested two", markdown);
        Assert.Contains("| Option | Meaning |\n| --- | --- |\n| --force | skip \\| checks |\n| --quiet | less output |", markdown);
        Assert.Contains("```csharp\nvar x = 1;\n", markdown);
        Assert.Contains("if (x < 2) { Console.WriteLine(x); }\n```", markdown);
        Assert.Contains("> Measure twice, cut once", markdown);
    }

    [Fact]
    public void PlainTextHasNoMarkdownMarkers()
    {
        const string html = """
            <html><body><article><h2>Plain words</h2>
            <p>Some <strong>bold</strong> and <a href="https://example.com/x">linked</a> words in a sentence long enough to count as the content of the page.</p>
            <table><tr><td>a1</td><td>b1</td></tr><tr><td>a2</td><td>b2</td></tr></table></article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("Plain words\n\nSome bold and linked words in a sentence", page.Text);
        Assert.Contains("a1\tb1\na2\tb2", page.Text);
        Assert.DoesNotContain("**", page.Text);
        Assert.DoesNotContain("](", page.Text);
        Assert.DoesNotContain("#", page.Text);
        Assert.Contains("[linked](https://example.com/x)", page.Markdown);
    }

    [Fact]
    public void RelativeLinksStayTextWithoutABaseAndFollowTheBaseElement()
    {
        const string body = "<p>See <a href=\"/about\">the about page</a> and <a href=\"javascript:alert(1)\">this</a> for everything there is to know about the place.</p>";

        var withoutBase = new MainContentExtractor().Extract($"<html><body>{body}</body></html>");
        var withBaseElement = new MainContentExtractor().Extract($"<html><head><base href=\"https://base.example/dir/\"></head><body>{body}</body></html>");

        Assert.Contains("See the about page and this for everything", withoutBase.Markdown);
        Assert.Contains("[the about page](https://base.example/about)", withBaseElement.Markdown);
        Assert.DoesNotContain("javascript:", withBaseElement.Markdown);
    }

    [Fact]
    public void MalformedHtmlStillYieldsItsText()
    {
        const string html = "<html><body><div><p>Unclosed paragraph one with enough words to be read as content of the page<p>Unclosed two, still here, still readable<div><b><i>crossed</b></i> tags</span></td></table> and a stray <> and a <!-- never closed comment";

        var page = new MainContentExtractor().Extract(html);

        Assert.Contains("Unclosed paragraph one", page.Text);
        Assert.Contains("Unclosed two, still here", page.Text);
        Assert.Contains("crossed", page.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html></html>")]
    [InlineData("<html><body>   </body></html>")]
    [InlineData("just text, no tags")]
    public void EmptyOrBarePagesGiveEmptyOrBareContent(string html)
    {
        var page = new MainContentExtractor().Extract(html);

        Assert.Null(page.Title);
        Assert.Equal(page.Text, page.Markdown);
        Assert.True(page.Text.Length == 0 || page.Text == "just text, no tags", page.Text);
    }

    [Fact]
    public void DecodesEntitiesAndDropsWhatIsNotText()
    {
        const string html = "<html><body><p>Caf&eacute; &#233;t&#xE9; &euro; &#x1F600; &lt;tag&gt; &amp;amp; bad:&#0;&#xD800;&#99999999;&bogus; end of the sentence here.</p></body></html>";

        var page = new MainContentExtractor().Extract(html);

        Assert.Contains("Café été € 😀 <tag> &amp; bad:", page.Text);
        Assert.Contains("&bogus; end of the sentence", page.Text);
        Assert.DoesNotContain('\0', page.Text);
        Assert.True(page.Text.EnumerateRunes().All(r => r.Value != 0), "no NUL");
        Assert.Equal(page.Text, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(page.Text)));
    }

    [Fact]
    public void DecodesBytesByMetaCharsetAndFallsBackToWindows1252()
    {
        var latin = Encoding.Latin1.GetBytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Gr\u00FC\u00DFe aus K\u00F6ln</p></body></html>");
        var undeclared = Encoding.Latin1.GetBytes("<html><body><p>na\u00EFve caf\u00E9</p></body></html>");
        var utf8 = Encoding.UTF8.GetBytes("<html><body><p>\u65E5\u672C\u8A9E \u00E9</p></body></html>");

        Assert.Contains("Grüße aus Köln", HtmlDecoding.Decode(latin));
        Assert.Contains("naïve café", HtmlDecoding.Decode(undeclared));
        Assert.Contains("日本語 é", HtmlDecoding.Decode(utf8));
        Assert.Contains("Grüße", HtmlDecoding.Decode(latin, "windows-1252"));
        Assert.Contains("Gr", HtmlDecoding.Decode(latin, "no-such-charset"));
    }

    [Fact]
    public void LongContentIsCutAtTheBudgetWithAMarker()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 200).Select(i => $"<p>Paragraph number {i} of a long story, with commas, clauses and enough words to count.</p>"));
        var extractor = new MainContentExtractor(new MainContentExtractorOptions { MaxOutputCharacters = 2_000 });

        var page = extractor.Extract($"<html><body><article>{paragraphs}</article></body></html>");

        Assert.True(page.Truncated);
        Assert.EndsWith("[… truncated: the content is longer than 2,000 characters]", page.Markdown);
        Assert.EndsWith("[… truncated: the content is longer than 2,000 characters]", page.Text);
        var content = page.Text[..page.Text.IndexOf("\n\n[… truncated", StringComparison.Ordinal)];
        Assert.InRange(content.Length, 1_500, 2_000);
        Assert.Contains("Paragraph number 1 of", content);
        Assert.DoesNotContain("Paragraph number 200 of", content);
    }

    [Fact]
    public void APageFiftyThousandElementsDeepIsUnwrappedQuicklyAndKeepsItsText()
    {
        const int depth = 50_000;
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", depth)) +
            "<p>The treasure at the bottom of a very deep page, with commas, and a full sentence.</p>" +
            string.Concat(Enumerable.Repeat("</div>", depth)) + "</body></html>";

        var clock = Stopwatch.StartNew();
        var page = new MainContentExtractor().Extract(html);
        clock.Stop();

        Assert.Contains("The treasure at the bottom of a very deep page", page.Text);
        // Unbounded, the parser alone takes over half a minute at this depth; bounded, well under a second.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        AssertStillHealthy();
    }

    [Fact]
    public void DeepUnclosedAndHostileNestingIsBounded()
    {
        var unclosed = "<html><body>" + string.Concat(Enumerable.Repeat("<div><span><b>", 20_000)) + "tail words at the very end";
        var strayCloses = string.Concat(Enumerable.Repeat("</i>", 50_000)) + string.Concat(Enumerable.Repeat("<section>", 20_000)) + "<p>inside all the sections, still found.</p>";

        var clock = Stopwatch.StartNew();
        var first = new MainContentExtractor().Extract(unclosed);
        var second = new MainContentExtractor().Extract(strayCloses);
        clock.Stop();

        Assert.Contains("tail words at the very end", first.Text);
        Assert.Contains("inside all the sections, still found.", second.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        AssertStillHealthy();
    }

    [Fact]
    public void ATwentyMegabyteWidePageIsCappedAndBounded()
    {
        var html = new StringBuilder(21_000_000).Append("<html><body><article>");
        var i = 0;
        while (html.Length < 20_000_000)
        {
            html.Append("<p>Row ").Append(i++).Append(" of a very wide page, with a comma, and words enough to be content.</p>");
        }

        html.Append("<p>LAST-PARAGRAPH beyond the cap</p></article></body></html>");
        var extractor = new MainContentExtractor(new MainContentExtractorOptions { MaxHtmlCharacters = 1_000_000, MaxOutputCharacters = 10_000 });

        var clock = Stopwatch.StartNew();
        var page = extractor.Extract(html.ToString());
        clock.Stop();

        Assert.True(page.Truncated);
        Assert.StartsWith("Row 0 of a very wide page", page.Text);
        Assert.DoesNotContain("LAST-PARAGRAPH", page.Text);
        Assert.True(page.Text.Length < 10_200);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        AssertStillHealthy();
    }

    [Fact]
    public void ServesWebFetchThroughItsExtractorInterface()
    {
        IHtmlContentExtractor extractor = new MainContentExtractor();

        var content = extractor.Extract(Article, s_page);

        Assert.Equal("Rivers return to the valley", content.Title);
        Assert.Contains("refilled the reservoirs", content.Markdown);
        Assert.Contains("refilled the reservoirs", content.Text);
        Assert.DoesNotContain("COMMENT-TEXT", content.Text);
    }

    [Fact]
    public void RejectsCapsThatAreNotPositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MainContentExtractor(new MainContentExtractorOptions { MaxDepth = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MainContentExtractor(new MainContentExtractorOptions { MaxOutputCharacters = -1 }));
        Assert.Throws<ArgumentNullException>(() => new MainContentExtractor().Extract(null!));
    }

    /// <summary>After a hostile page the extractor still does ordinary work.</summary>
    private static void AssertStillHealthy()
    {
        var page = new MainContentExtractor().Extract(Article, s_page);
        Assert.Contains("refilled the reservoirs", page.Text);
    }
}
