using System.Runtime.InteropServices;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Reads the text of PDF files with PdfPig, page by page: words are grouped into text blocks by layout (Docstrum),
/// put in reading order, and a block is split into paragraphs where the space between two lines is clearly wider
/// than the page's usual line spacing. Every block records its page. Scanned pages (images, no text) give no blocks.
/// </summary>
public sealed class PdfDocumentReader : IDocumentReader
{
    // A gap between baselines this much wider than the page's usual line pitch starts a new paragraph.
    private const double ParagraphGapFactor = 1.4;

    public IReadOnlyCollection<string> Extensions { get; } = [".pdf"];

    public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();

        var bytes = MemoryMarshal.TryGetArray(content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : content.ToArray();
        try
        {
            using var document = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            var builder = new ParsedDocumentBuilder();
            for (var number = 1; number <= document.NumberOfPages; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AddPage(builder, document.GetPage(number));
            }

            return builder.Build(source, document.Information.Title);
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new DocumentReadException($"Could not read '{source}': the PDF is encrypted; decrypt it first.", source, ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DocumentReadException))
        {
            // PdfPig reports damage in many exception types (format, font, decompression, index errors deep in a
            // parser); for the caller they all mean the same thing, with PdfPig's words kept as the reason.
            throw new DocumentReadException($"Could not read '{source}' as a PDF: {ex.Message.TrimEnd('.')}.", source, ex);
        }
    }

    private static void AddPage(ParsedDocumentBuilder builder, Page page)
    {
        var words = NearestNeighbourWordExtractor.Instance.GetWords(page.Letters);
        var blocks = UnsupervisedReadingOrderDetector.Instance.Get(DocstrumBoundingBoxes.Instance.GetBlocks(words))
            .OrderBy(b => b.ReadingOrder)
            .ToList();
        var pitch = UsualLinePitch(blocks);
        foreach (var block in blocks)
        {
            var paragraph = new List<string>();
            TextLine? previous = null;
            foreach (var line in block.TextLines)
            {
                if (previous is not null && pitch > 0 && Pitch(previous, line) > pitch * ParagraphGapFactor)
                {
                    builder.Add(DocumentBlockKind.Paragraph, string.Join('\n', paragraph), page: page.Number);
                    paragraph.Clear();
                }

                paragraph.Add(line.Text);
                previous = line;
            }

            builder.Add(DocumentBlockKind.Paragraph, string.Join('\n', paragraph), page: page.Number);
        }
    }

    /// <summary>The page's ordinary distance from one baseline to the next: the lower quartile, so paragraph gaps do not count.</summary>
    private static double UsualLinePitch(List<TextBlock> blocks)
    {
        var pitches = new List<double>();
        foreach (var block in blocks)
        {
            for (var i = 1; i < block.TextLines.Count; i++)
            {
                var pitch = Pitch(block.TextLines[i - 1], block.TextLines[i]);
                if (pitch > 0)
                {
                    pitches.Add(pitch);
                }
            }
        }

        if (pitches.Count == 0)
        {
            return 0;
        }

        pitches.Sort();
        return pitches[pitches.Count / 4];
    }

    private static double Pitch(TextLine upper, TextLine lower) => upper.BoundingBox.Bottom - lower.BoundingBox.Bottom;
}
