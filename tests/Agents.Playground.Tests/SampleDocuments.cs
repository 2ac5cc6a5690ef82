using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Agents.Playground.Tests;

/// <summary>
/// One small document of each kind <c>agents ingest</c> reads, each about its own topic, so a search shows which file
/// a hit came from; and a stand-in for a hosted embedding model that knows those topics by meaning.
/// </summary>
internal static class SampleDocuments
{
    /// <summary>The files <see cref="WriteTo"/> writes, in the order ingest visits them (ordinal by path).</summary>
    public static readonly string[] Files = ["guide.md", "manual.pdf", "notes.txt", "page.html"];

    // Each topic is one dimension of the stand-in model's vectors: a text scores on a topic when it uses one of its words.
    private static readonly string[][] Topics =
    [
        ["kiwi", "installer", "install", "setup"],
        ["turbine", "rotor", "rpm", "wind", "power"],
        ["penguins", "penguin", "birds", "antarctic", "flightless", "huddle"],
        ["lighthouse", "keepers", "lamp", "coast", "ships"],
    ];

    /// <summary>Writes the four documents into <paramref name="folder"/> (created if missing).</summary>
    public static void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "guide.md"), """
            # Setup guide

            ## Installing

            Run the installer and choose the kiwi option when it asks which edition to set up.

            ## Keeping settings

            Your settings stay where they are when you run the installer again.
            """);
        File.WriteAllBytes(Path.Combine(folder, "manual.pdf"), Pdf("Turbine manual", "The turbine rotor spins at 3000 rpm in a steady wind.", "Check the rotor bearings every spring."));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "Emperor penguins huddle together to survive the Antarctic winter, taking turns at the cold edge of the group.");
        File.WriteAllText(Path.Combine(folder, "page.html"), """
            <!DOCTYPE html>
            <html><head><title>Lighthouses</title></head>
            <body>
              <nav><a href="/">Home</a> <a href="/about">About</a></nav>
              <article>
                <h1>Lighthouse keepers</h1>
                <p>Lighthouse keepers trimmed the lamp wick every night so that passing ships could see the coast in a storm.</p>
                <p>Most lighthouses were automated in the twentieth century, and the keepers moved ashore.</p>
              </article>
            </body></html>
            """);
    }

    /// <summary>
    /// Writes the documents into <paramref name="folder"/>/docs and ingests them with the real console into
    /// <paramref name="folder"/>/<paramref name="store"/>, so passages are cited as <c>docs/notes.txt#0</c>.
    /// </summary>
    public static async Task IngestAsync(string folder, string store, params string[] flags)
    {
        WriteTo(Path.Combine(folder, "docs"));
        var result = await AgentsProcess.RunAsync(folder, null, ["ingest", store, "docs", .. flags]);
        Assert.True(result.ExitCode == 0, $"ingest failed ({result.ExitCode}): {result.Stderr}");
    }

    /// <summary>A deterministic embedding: one dimension per topic, so texts about the same topic are close whatever their words.</summary>
    public static float[] Embed(string text)
    {
        var words = text.ToLowerInvariant().Split([' ', '.', ',', '?', '\n', '#'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        // The last dimension keeps a text about no topic from being a zero vector, which has no direction to compare.
        return [.. Topics.Select(topic => topic.Count(words.Contains) * 1f), 0.1f];
    }

    /// <summary>A real one-page PDF, written by PdfPig, with <paramref name="lines"/> as its text.</summary>
    public static byte[] Pdf(string title, params string[] lines)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.DocumentInformation.Title = title;
        var page = builder.AddPage(595, 842);
        for (var i = 0; i < lines.Length; i++)
        {
            page.AddText(lines[i], 12, new PdfPoint(72, 780 - (i * 15)), font);
        }

        return builder.Build();
    }
}
