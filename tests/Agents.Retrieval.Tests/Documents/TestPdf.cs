using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Agents.Retrieval.Tests.Documents;

/// <summary>Builds real PDF files with PdfPig's writer: each page a list of lines, an empty line being a paragraph gap.</summary>
internal static class TestPdf
{
    public static byte[] Build(string? title, params string[][] pages)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        if (title is not null)
        {
            builder.DocumentInformation.Title = title;
        }

        foreach (var lines in pages)
        {
            var page = builder.AddPage(595, 842);
            var y = 780.0;
            foreach (var line in lines)
            {
                if (line.Length > 0)
                {
                    page.AddText(line, 12, new PdfPoint(72, y), font);
                }

                y -= 15;
            }
        }

        return builder.Build();
    }
}
