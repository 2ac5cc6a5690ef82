using System.Text;
using Agents.Retrieval.Documents;
using Agents.Testing;

namespace Agents.Retrieval.Tests.Documents;

public sealed class DocumentReadersTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DocumentReaders _readers = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task EachSupportedExtension_GoesToItsReader()
    {
        var text = await _readers.ReadAsync(_folder.Write("a.txt", "plain words"));
        var markdown = await _readers.ReadAsync(_folder.Write("b.MD", "# Title\n\nbody"));
        var markdownLong = await _readers.ReadAsync(_folder.Write("c.markdown", "- item"));
        var html = await _readers.ReadAsync(_folder.Write("d.htm", "<html><head><title>Page</title></head><body><p>Hello from the page body.</p></body></html>"));
        var pdfPath = _folder.PathOf("e.pdf");
        await File.WriteAllBytesAsync(pdfPath, TestPdf.Build("Pdf", ["pdf words"]));
        var pdf = await _readers.ReadAsync(pdfPath);

        Assert.Equal(DocumentBlockKind.Paragraph, Assert.Single(text.Blocks).Kind);
        Assert.Equal("Title", markdown.Title);
        Assert.Equal(DocumentBlockKind.ListItem, Assert.Single(markdownLong.Blocks).Kind);
        Assert.Equal("Page", html.Title);
        Assert.Contains("Hello from the page body.", html.Text);
        Assert.Equal(("pdf words", 1), (Assert.Single(pdf.Blocks).Text, pdf.Blocks[0].Page));
        Assert.Equal(pdfPath, pdf.Source);
    }

    [Fact]
    public void SupportedExtensions_AndCanRead()
    {
        Assert.Equal([".htm", ".html", ".markdown", ".md", ".pdf", ".txt"], _readers.SupportedExtensions);
        Assert.True(_readers.CanRead("docs/Guide.HTML"));
        Assert.False(_readers.CanRead("docs/sheet.xlsx"));
        Assert.False(_readers.CanRead("Makefile"));
    }

    [Theory]
    [InlineData("report.docx", "Cannot read 'report.docx': it is a '.docx' file; supported: .htm, .html, .markdown, .md, .pdf, .txt.")]
    [InlineData("LICENSE", "Cannot read 'LICENSE': it has no extension; supported: .htm, .html, .markdown, .md, .pdf, .txt.")]
    public async Task UnsupportedExtension_NamesTheFileAndTheSupportedOnes(string name, string message)
    {
        var path = _folder.Write(name, "content");

        var fromFile = await Assert.ThrowsAsync<NotSupportedException>(() => _readers.ReadAsync(path));
        var fromBytes = Assert.Throws<NotSupportedException>(() => _readers.Read("content"u8.ToArray(), name));

        Assert.Equal(message.Replace($"'{name}'", $"'{path}'"), fromFile.Message);
        Assert.Equal(message, fromBytes.Message);
    }

    [Fact]
    public async Task FileOverTheSizeCap_IsRefusedBeforeParsing()
    {
        var readers = new DocumentReaders(new DocumentReaderOptions { MaxBytes = 1024 * 1024 });
        var path = _folder.Write("big.txt", new string('x', 1536 * 1024));

        var error = await Assert.ThrowsAsync<DocumentReadException>(() => readers.ReadAsync(path));
        var fromBytes = Assert.Throws<DocumentReadException>(() => readers.Read(new byte[3 * 1024 * 1024], "big.md"));

        Assert.Equal($"Cannot read '{path}': it is 1.5 MB, over the 1 MB limit; split it or raise MaxBytes.", error.Message);
        Assert.Equal(path, error.DocumentSource);
        Assert.Equal("Cannot read 'big.md': it is 3 MB, over the 1 MB limit; split it or raise MaxBytes.", fromBytes.Message);
    }

    [Fact]
    public async Task FileAtTheSizeCap_IsRead()
    {
        var readers = new DocumentReaders(new DocumentReaderOptions { MaxBytes = 100 });
        var path = _folder.Write("exact.txt", new string('y', 100));

        var document = await readers.ReadAsync(path);

        Assert.Equal(100, document.Text.Length);
    }

    [Fact]
    public async Task MissingFile_IsAnIOError()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => _readers.ReadAsync(_folder.PathOf("missing.md")));
    }

    [Fact]
    public void OwnReaders_ReplaceOrAddExtensions()
    {
        var readers = new DocumentReaders([new PlainTextDocumentReader(), new UpperCaseReader()]);

        var document = readers.Read(Encoding.UTF8.GetBytes("shout"), "a.txt");

        Assert.Equal([".txt"], readers.SupportedExtensions);
        Assert.Equal("SHOUT", document.Text);
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentReaders(new DocumentReaderOptions { MaxBytes = 0 }));
    }

    private sealed class UpperCaseReader : IDocumentReader
    {
        public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

        public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
        {
            var text = Encoding.UTF8.GetString(content.Span).ToUpperInvariant();
            return new ParsedDocument(source, null, text, [new DocumentBlock(DocumentBlockKind.Paragraph, text, 0, null, 0, text.Length)]);
        }
    }
}
