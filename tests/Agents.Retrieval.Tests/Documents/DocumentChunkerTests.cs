using System.Text;
using Agents.Retrieval.Documents;
using Microsoft.ML.Tokenizers;

namespace Agents.Retrieval.Tests.Documents;

public sealed class DocumentChunkerTests
{
    // The embedding model's tokenizer (cl100k_base), built once: parsing its vocabulary takes a while.
    private static readonly Tokenizer s_tokenizer = TiktokenTokenizer.CreateForModel("text-embedding-3-small");

    [Fact]
    public void Chunks_StayWithinTheBudget_AreRangesOfTheText_AndCoverEveryBlock()
    {
        var document = Markdown(Guide(sections: 6, paragraphsPerSection: 7));

        var chunks = Chunk(document, maxTokens: 64, overlapTokens: 8);

        Assert.True(chunks.Count > 10, $"only {chunks.Count} chunks");
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 64);
    }

    [Fact]
    public void HeadingPaths_NameTheSections_AndNoChunkCrossesATopLevelSection()
    {
        var document = Markdown("""
            # Guide

            Welcome to the guide.

            ## Install

            Download the package and run the installer.

            ## Configure

            Edit the settings file.

            ### Advanced

            Tune the cache size for large stores.

            ## Uninstall

            Remove the folder.
            """);

        var chunks = Chunk(document, maxTokens: 256, overlapTokens: 32);

        Assert.Equal(
            [
                ("Guide", "Guide\n\nWelcome to the guide."),
                ("Guide > Install", "Install\n\nDownload the package and run the installer."),
                ("Guide > Configure", "Configure\n\nEdit the settings file.\n\nAdvanced\n\nTune the cache size for large stores."),
                ("Guide > Uninstall", "Uninstall\n\nRemove the folder."),
            ],
            chunks.Select(c => (c.HeadingPath!, c.Text)));
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 256);
    }

    [Fact]
    public void SingleTitleHeading_DoesNotMakeOneSection_AndHeadingsWithoutTextStayWithTheirSection()
    {
        var document = Markdown("# Manual\n\n## Part one\n\nAlpha text.\n\n## Part two\n\nBeta text.");

        var chunks = Chunk(document, maxTokens: 256, overlapTokens: 0);

        Assert.Equal(
            [("Manual > Part one", "Manual\n\nPart one\n\nAlpha text."), ("Manual > Part two", "Part two\n\nBeta text.")],
            chunks.Select(c => (c.HeadingPath!, c.Text)));
    }

    [Fact]
    public void DeepSections_KeepTheirFullPath()
    {
        var document = Markdown("# A\n\nintro\n\n# B\n\n## B1\n\n### B1x\n\n" + Sentences(60, "Deep"));

        var chunks = Chunk(document, maxTokens: 64, overlapTokens: 8);

        Assert.Equal("A", chunks[0].HeadingPath);
        Assert.All(chunks.Skip(1), c => Assert.Equal("B > B1 > B1x", c.HeadingPath));
        Assert.StartsWith("B\n\nB1\n\nB1x\n\nDeep sentence 1", chunks[1].Text);
    }

    [Fact]
    public void WholeBlocks_ArePacked_UpToTheBudget()
    {
        var paragraphs = Enumerable.Range(1, 40).Select(i => $"Paragraph {i} is short but says something.").ToArray();
        var document = Text(string.Join("\n\n", paragraphs));

        var chunks = Chunk(document, maxTokens: 48, overlapTokens: 0);

        var blockEnds = document.Blocks.Select(b => b.End).ToHashSet();
        var blockStarts = document.Blocks.Select(b => b.Start).ToHashSet();
        Assert.All(chunks, c => Assert.Contains(c.End, blockEnds));
        Assert.All(chunks, c => Assert.Contains(c.Start, blockStarts));
        // Packed: no chunk could have taken the next paragraph too.
        foreach (var (chunk, next) in chunks.Zip(chunks.Skip(1)))
        {
            var nextBlock = document.Blocks.First(b => b.Start == next.Start);
            Assert.True(s_tokenizer.CountTokens(document.Text[chunk.Start..nextBlock.End]) > 48);
        }

        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 48);
    }

    [Fact]
    public void Overlap_RepeatsTheTailOfThePreviousChunk_WithinTheBudget()
    {
        var document = Text(string.Join("\n\n", Enumerable.Range(1, 30).Select(i => Sentences(3, $"Part{i}"))));

        var chunks = Chunk(document, maxTokens: 80, overlapTokens: 16);

        Assert.True(chunks.Count > 5);
        foreach (var (previous, next) in chunks.Zip(chunks.Skip(1)))
        {
            Assert.True(next.Start < previous.End, $"chunk {next.Index} does not overlap chunk {previous.Index}");
            var repeated = document.Text[next.Start..previous.End];
            Assert.EndsWith(repeated, previous.Text);
            Assert.StartsWith(repeated, next.Text);
            Assert.InRange(s_tokenizer.CountTokens(repeated), 1, 16);
            Assert.True(next.Start == 0 || char.IsWhiteSpace(document.Text[next.Start - 1]), "an overlap starts at a word");
        }

        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 80);
    }

    [Fact]
    public void Overlap_DoesNotCrossSections()
    {
        var document = Markdown($"## One\n\n{Sentences(30, "First")}\n\n## Two\n\n{Sentences(30, "Second")}");

        var chunks = Chunk(document, maxTokens: 64, overlapTokens: 16);

        var two = chunks.First(c => c.HeadingPath == "Two");
        Assert.StartsWith("Two\n\nSecond sentence 1", two.Text);
        Assert.DoesNotContain(chunks, c => c.Text.Contains("First", StringComparison.Ordinal) && c.Text.Contains("Second", StringComparison.Ordinal));
    }

    [Fact]
    public void AHeading_IsNotLeftAtTheEndOfAChunk()
    {
        var document = Markdown($"# Doc\n\n{Sentences(8, "Opening")}\n\n### Small heading\n\n{Sentences(8, "Closing")}");

        var chunks = Chunk(document, maxTokens: 120, overlapTokens: 0);

        Assert.DoesNotContain(chunks, c => c.Text.EndsWith("Small heading", StringComparison.Ordinal));
        Assert.Contains(chunks, c => c.Text.StartsWith("Small heading\n\nClosing sentence 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void OversizedParagraph_IsCutAfterSentences()
    {
        var document = Text(Sentences(200, "Long"));

        var chunks = Chunk(document, maxTokens: 64, overlapTokens: 0);

        Assert.True(chunks.Count > 10);
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text));
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 64);
    }

    [Fact]
    public void OversizedSentence_IsCutBetweenWords()
    {
        var words = Enumerable.Range(1, 2_000).Select(i => $"w{i}x").ToArray();
        var document = Text(string.Join(' ', words));

        var chunks = Chunk(document, maxTokens: 64, overlapTokens: 8);

        var wordSet = words.ToHashSet();
        Assert.All(chunks, c => Assert.All(c.Text.Split(' '), w => Assert.Contains(w, wordSet)));
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 64);
    }

    [Fact]
    public void OneMegabyteWord_IsCutBetweenTokens_WithinTheBudget()
    {
        var random = new Random(7);
        var word = string.Create(1024 * 1024, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
        var document = Text("Before.\n\n" + word + "\n\nAfter.");

        var chunks = Chunk(document, maxTokens: 256, overlapTokens: 32);

        Assert.Equal("Before.", chunks[0].Text);
        Assert.EndsWith("After.", chunks[^1].Text);
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 256);
        // Cut between tokens, the chunks in the word are nearly full.
        Assert.InRange(chunks.Skip(1).SkipLast(1).Average(c => c.TokenCount), 240, 256);
    }

    [Fact]
    public void HundredThousandTinyParagraphs_ArePacked()
    {
        var document = Text(string.Join("\n\n", Enumerable.Range(0, 100_000).Select(i => (i % 100).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var chunks = Chunk(document, maxTokens: 256, overlapTokens: 32);

        Assert.InRange(chunks.Count, 100_000 * 2 / 256, 100_000 * 2 / 200);
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 256);
    }

    [Fact]
    public void EmptyDocument_HasNoChunks()
    {
        Assert.Empty(Chunk(Text(""), 256, 32));
        Assert.Empty(Chunk(new ParsedDocument("blank", null, " \n\t ", [new DocumentBlock(DocumentBlockKind.Paragraph, " \n\t ", 0, null, 0, 4)]), 256, 32));
    }

    [Fact]
    public void EmojiAndCjk_AreNeverCutInsideACharacter()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 3_000; i++)
        {
            text.Append(i % 3 == 0 ? "😀👍🏽" : i % 3 == 1 ? "漢字かな交じり文" : "한국어");
        }

        var document = Text(text.ToString() + "\n\n" + string.Concat(Enumerable.Repeat("東京は日本の首都です。", 300)));

        var chunks = Chunk(document, maxTokens: 32, overlapTokens: 8);

        Assert.All(chunks, c => Assert.True(IsWellFormed(c.Text), $"chunk {c.Index} splits a surrogate pair"));
        Assert.All(chunks.Where(c => c.Text.Contains("東京", StringComparison.Ordinal) && !c.Text.Contains("😀", StringComparison.Ordinal)), c => Assert.EndsWith("。", c.Text));
        ChunkAssert.Valid(document, chunks, s_tokenizer, maxTokens: 32);
    }

    [Fact]
    public void Pages_ComeFromTheBlockWhereTheChunkStarts()
    {
        string[] Page(int number) => [.. Enumerable.Range(1, 3).SelectMany(i => new[] { $"Page {number} paragraph {i} about cranes.", "" })];
        var pdf = new PdfDocumentReader().Read(TestPdf.Build(null, Page(1), Page(2), Page(3)), "pages.pdf");

        var chunks = Chunk(pdf, maxTokens: 24, overlapTokens: 0);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.Equal(c.Text[5], c.Page.ToString()![0]));
        Assert.Equal([1, 2, 3], chunks.Select(c => c.Page!.Value).Distinct());
        Assert.All(chunks, c => Assert.Null(c.HeadingPath));
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new DocumentChunker(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(s_tokenizer, new ChunkingOptions { MaxTokens = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(s_tokenizer, new ChunkingOptions { OverlapTokens = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(s_tokenizer, new ChunkingOptions { MaxTokens = 64, OverlapTokens = 33 }));
    }

    [Fact]
    public void BlocksOutsideTheText_AreRejected()
    {
        var document = new ParsedDocument("bad", null, "short", [new DocumentBlock(DocumentBlockKind.Paragraph, "short", 0, null, 0, 50)]);

        var error = Assert.Throws<ArgumentException>(() => new DocumentChunker(s_tokenizer).Chunk(document));

        Assert.Contains("Block 0 of 'bad' spans 0..50", error.Message);
    }

    [Fact]
    public void Cancellation_IsHonoured()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => new DocumentChunker(s_tokenizer).Chunk(Text("Some words."), cts.Token));
    }

    private static List<TextChunk> Chunk(ParsedDocument document, int maxTokens, int overlapTokens) =>
        [.. new DocumentChunker(s_tokenizer, new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens }).Chunk(document)];

    private static ParsedDocument Markdown(string markdown) => new MarkdownDocumentReader().Read(Encoding.UTF8.GetBytes(markdown), "doc.md");

    private static ParsedDocument Text(string text) => new PlainTextDocumentReader().Read(Encoding.UTF8.GetBytes(text), "doc.txt");

    private static string Sentences(int count, string word) =>
        string.Join(' ', Enumerable.Range(1, count).Select(i => $"{word} sentence {i} talks about cranes, cables and the harbour."));

    private static string Guide(int sections, int paragraphsPerSection)
    {
        var markdown = new StringBuilder("# Guide\n\nThe guide starts here.\n\n");
        for (var s = 1; s <= sections; s++)
        {
            markdown.Append($"## Section {s}\n\n");
            for (var p = 1; p <= paragraphsPerSection; p++)
            {
                markdown.Append(p % 3 == 0 ? $"- item {p} of section {s}\n- another item\n\n" : Sentences(p, $"S{s}P{p}") + "\n\n");
            }
        }

        return markdown.ToString();
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
