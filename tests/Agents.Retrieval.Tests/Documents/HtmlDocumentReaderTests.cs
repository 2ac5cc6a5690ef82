using System.Text;
using Agents.Retrieval.Documents;

namespace Agents.Retrieval.Tests.Documents;

public sealed class HtmlDocumentReaderTests
{
    [Fact]
    public void MainContent_IsRead_WithoutTheNavigation_AndWithThePagesTitle()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 5).Select(i =>
            $"<p>Paragraph {i} explains how the harbour's cranes are maintained, inspected and repaired by the night crew.</p>"));
        var html = $"""
            <html><head><title>Crane maintenance | Harbour News</title></head><body>
            <nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/contact">Contact</a></nav>
            <article><h1>Crane maintenance</h1>{paragraphs}
            <h2>Schedule</h2><ul><li>Mondays: cables</li><li>Fridays: brakes</li></ul></article>
            <footer>Copyright Harbour News</footer></body></html>
            """;

        var document = new HtmlDocumentReader().Read(Encoding.UTF8.GetBytes(html), "crane.html");

        Assert.Equal("Crane maintenance", document.Title);
        Assert.Equal((DocumentBlockKind.Heading, "Crane maintenance", 1), DocumentAssert.Shape(document)[0]);
        Assert.Contains(document.Blocks, b => b.Kind == DocumentBlockKind.Heading && b.Text == "Schedule" && b.HeadingLevel == 2);
        Assert.Contains(document.Blocks, b => b.Kind == DocumentBlockKind.ListItem && b.Text == "- Fridays: brakes");
        Assert.Equal(5, document.Blocks.Count(b => b.Kind == DocumentBlockKind.Paragraph));
        Assert.DoesNotContain("About us", document.Text);
        Assert.DoesNotContain("Copyright", document.Text);
        DocumentAssert.BlocksMatchText(document);
    }

    [Fact]
    public void MetaCharset_IsHonoured()
    {
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var html = "<html><head><meta charset=\"windows-1252\"><title>Caf\u00e9</title></head><body><p>Cr\u00e8me br\u00fbl\u00e9e for everyone at the caf\u00e9 tonight.</p></body></html>";

        var document = new HtmlDocumentReader().Read(windows1252.GetBytes(html), "cafe.htm");

        Assert.Contains("Crème brûlée for everyone at the café tonight.", document.Text);
    }
}
