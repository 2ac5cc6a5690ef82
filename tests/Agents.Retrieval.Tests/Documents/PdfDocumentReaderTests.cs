using Agents.Retrieval.Documents;

namespace Agents.Retrieval.Tests.Documents;

public sealed class PdfDocumentReaderTests
{
    private readonly PdfDocumentReader _reader = new();

    [Fact]
    public void Text_IsReadPerPage_InParagraphs_WithPageNumbers()
    {
        var pdf = TestPdf.Build(
            "Harbour handbook",
            ["Cranes are inspected every night", "by the maintenance crew on duty.", "", "Cables are replaced every spring", "before the busy season starts."],
            ["The second page covers the brakes."]);

        var document = _reader.Read(pdf, "handbook.pdf");

        Assert.Equal("Harbour handbook", document.Title);
        Assert.Equal(
            [
                ("Cranes are inspected every night\nby the maintenance crew on duty.", 1),
                ("Cables are replaced every spring\nbefore the busy season starts.", 1),
                ("The second page covers the brakes.", 2),
            ],
            document.Blocks.Select(b => (b.Text, b.Page!.Value)));
        Assert.All(document.Blocks, b => Assert.Equal(DocumentBlockKind.Paragraph, b.Kind));
        DocumentAssert.BlocksMatchText(document);
    }

    [Fact]
    public void PageWithoutText_GivesNoBlocks()
    {
        var document = _reader.Read(TestPdf.Build(null, [], ["Only the second page has text."]), "scan.pdf");

        Assert.Null(document.Title);
        Assert.Equal(2, Assert.Single(document.Blocks).Page);
    }

    [Fact]
    public void NotAPdf_IsAClearErrorNamingTheFile()
    {
        var error = Assert.Throws<DocumentReadException>(() => _reader.Read("just some text"u8.ToArray(), "docs/report.pdf"));

        Assert.StartsWith("Could not read 'docs/report.pdf' as a PDF: ", error.Message);
        Assert.Equal("docs/report.pdf", error.DocumentSource);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void TruncatedPdf_IsAClearErrorNamingTheFile()
    {
        var pdf = TestPdf.Build("Cut", ["Some text on the first page."], ["More text."]);

        var error = Assert.Throws<DocumentReadException>(() => _reader.Read(pdf.AsMemory(0, pdf.Length / 3), "cut.pdf"));

        Assert.StartsWith("Could not read 'cut.pdf' as a PDF: ", error.Message);
    }

    [Fact]
    public void Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => _reader.Read(TestPdf.Build(null, ["text"]), "a.pdf", cts.Token));
    }
}
