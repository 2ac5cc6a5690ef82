using System.Text;
using Agents.Retrieval.Documents;

namespace Agents.Retrieval.Tests.Documents;

public sealed class MarkdownDocumentReaderTests
{
    private readonly MarkdownDocumentReader _reader = new();

    [Fact]
    public void Structure_IsReadAsHeadingsParagraphsListItemsCodeAndTables()
    {
        const string markdown = """
            # Guide

            Intro with *emphasis*, `code`, a [link](https://example.com) &amp; an entity.
            Second line of the intro.

            Install
            -------

            - first item
            - second **item**
              1. nested one
              2. nested two

            ```bash
            dotnet tool install agents
            ```

            | Flag | Meaning |
            |------|---------|
            | `--json` | machine output |

            > A quoted tip.

            <div>raw html is layout</div>

            ### Deeper
            Last words.
            """;

        var document = Read(markdown);

        Assert.Equal(
            [
                (DocumentBlockKind.Heading, "Guide", 1),
                (DocumentBlockKind.Paragraph, "Intro with emphasis, code, a link & an entity.\nSecond line of the intro.", 0),
                (DocumentBlockKind.Heading, "Install", 2),
                (DocumentBlockKind.ListItem, "- first item", 0),
                (DocumentBlockKind.ListItem, "- second item", 0),
                (DocumentBlockKind.ListItem, "1. nested one", 0),
                (DocumentBlockKind.ListItem, "2. nested two", 0),
                (DocumentBlockKind.Code, "dotnet tool install agents", 0),
                (DocumentBlockKind.Table, "Flag | Meaning\n--json | machine output", 0),
                (DocumentBlockKind.Paragraph, "A quoted tip.", 0),
                (DocumentBlockKind.Heading, "Deeper", 3),
                (DocumentBlockKind.Paragraph, "Last words.", 0),
            ],
            DocumentAssert.Shape(document));
        Assert.Equal("Guide", document.Title);
        Assert.Contains("Install\n\n- first item\n- second item\n1. nested one", document.Text);
        DocumentAssert.BlocksMatchText(document);
    }

    [Fact]
    public void Code_KeepsItsIndentation()
    {
        var document = Read("Text.\n\n```\n\nif (x)\n    return;\n\n```\n\n    indented code\n      more\n");

        Assert.Equal(["if (x)\n    return;", "indented code\n  more"], document.Blocks.Where(b => b.Kind == DocumentBlockKind.Code).Select(b => b.Text));
        DocumentAssert.BlocksMatchText(document);
    }

    [Fact]
    public void FrontMatter_GivesTheTitle_AndIsNotContent()
    {
        var document = Read("---\ntitle: \"Release notes\"\ntags: [a, b]\n---\n\n# Version 2\n\nChanges.\n");

        Assert.Equal("Release notes", document.Title);
        Assert.Equal("Version 2\n\nChanges.", document.Text);
    }

    [Fact]
    public void WithoutALevelOneHeading_ThereIsNoTitle()
    {
        Assert.Null(Read("## Only a section\n\nText.").Title);
    }

    [Fact]
    public void NestingBeyondMarkdigsLimit_IsKeptAsPlainText()
    {
        var markdown = string.Concat(Enumerable.Repeat("> ", 5_000)) + "deep words\n\nnext paragraph";

        var document = Read(markdown);

        Assert.Equal(2, document.Blocks.Count);
        Assert.EndsWith("deep words", document.Blocks[0].Text);
        Assert.Equal("next paragraph", document.Blocks[1].Text);
    }

    private ParsedDocument Read(string markdown) => _reader.Read(Encoding.UTF8.GetBytes(markdown), "doc.md");
}
