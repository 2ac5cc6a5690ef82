using System.Text;
using Agents.Retrieval.Documents;

namespace Agents.Retrieval.Tests.Documents;

public sealed class PlainTextDocumentReaderTests
{
    private readonly PlainTextDocumentReader _reader = new();

    [Fact]
    public void Paragraphs_AreSeparatedByBlankLines_WhateverTheLineEndings()
    {
        var text = "First line\r\nstill first.\r\n\r\n  \t\r\nSecond paragraph.\n\n\n\nThird\rparagraph.\n";

        var document = _reader.Read(Encoding.UTF8.GetBytes(text), "notes.txt");

        Assert.Equal(["First line\nstill first.", "Second paragraph.", "Third\nparagraph."], document.Blocks.Select(b => b.Text));
        Assert.All(document.Blocks, b => Assert.Equal(DocumentBlockKind.Paragraph, b.Kind));
        Assert.Equal("First line\nstill first.\n\nSecond paragraph.\n\nThird\nparagraph.", document.Text);
        Assert.Equal("notes.txt", document.Source);
        Assert.Null(document.Title);
        DocumentAssert.BlocksMatchText(document);
    }

    [Fact]
    public void Utf8_WithAndWithoutByteOrderMark_AndWindows1252_AreDecoded()
    {
        const string text = "Crème brûlée — naïve café";
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

        var plain = _reader.Read(Encoding.UTF8.GetBytes(text), "a.txt");
        var withBom = _reader.Read((byte[])[.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)], "b.txt");
        var legacy = _reader.Read(windows1252.GetBytes(text), "c.txt");

        Assert.Equal(text, plain.Text);
        Assert.Equal(text, withBom.Text);
        Assert.Equal(text, legacy.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\r\n  \n")]
    public void EmptyOrBlankFile_HasNoBlocks(string text)
    {
        var document = _reader.Read(Encoding.UTF8.GetBytes(text), "empty.txt");

        Assert.Empty(document.Blocks);
        Assert.Equal("", document.Text);
    }

    [Fact]
    public void Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => _reader.Read("text"u8.ToArray(), "a.txt", cts.Token));
    }
}
