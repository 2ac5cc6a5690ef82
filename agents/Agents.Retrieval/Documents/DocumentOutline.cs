namespace Agents.Retrieval.Documents;

/// <summary>
/// The heading structure of a document: the heading path of every block, and the top-level sections that chunks
/// must not cross. The sections are made by the headings of the highest level that occurs more than once, so a
/// document's single title heading does not make the whole document one section.
/// </summary>
internal sealed class DocumentOutline
{
    // A heading longer than this is cut in paths, so a pathological one is not repeated into every chunk under it.
    private const int MaxHeadingLength = 100;

    private readonly IReadOnlyList<DocumentBlock> _blocks;
    private readonly IReadOnlyList<string>[] _paths;

    public DocumentOutline(IReadOnlyList<DocumentBlock> blocks)
    {
        _blocks = blocks;
        _paths = new IReadOnlyList<string>[blocks.Count];
        var stack = new List<(int Level, string Text)>();
        IReadOnlyList<string> path = [];
        var levelCounts = new int[7];
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Kind == DocumentBlockKind.Heading)
            {
                var level = Level(block);
                levelCounts[level]++;
                stack.RemoveAll(h => h.Level >= level);
                stack.Add((level, Shorten(block.Text)));
                path = [.. stack.Select(h => h.Text)];
            }

            _paths[i] = path;
        }

        Sections = FindSections(blocks, SectionLevel(levelCounts));
    }

    /// <summary>Ranges of block indexes, in order, covering every block once.</summary>
    public IReadOnlyList<(int First, int Last)> Sections { get; }

    /// <summary>
    /// The headings shared by the blocks from <paramref name="first"/> to <paramref name="last"/>, joined by " &gt; ".
    /// Headings in the range count only through the text under them, so a chunk that opens with "Install" under
    /// "Guide" is "Guide &gt; Install"; a range of headings alone is the path of its last one.
    /// </summary>
    public string? CommonPath(int first, int last)
    {
        IReadOnlyList<string>? common = null;
        var length = 0;
        for (var i = first; i <= last; i++)
        {
            if (_blocks[i].Kind == DocumentBlockKind.Heading && (i < last || common is not null))
            {
                continue;
            }

            var path = _paths[i];
            if (common is null)
            {
                (common, length) = (path, path.Count);
                continue;
            }

            length = Math.Min(length, path.Count);
            for (var j = 0; j < length; j++)
            {
                if (!ReferenceEquals(path[j], common[j]) && path[j] != common[j])
                {
                    length = j;
                    break;
                }
            }
        }

        return length == 0 ? null : string.Join(" > ", common!.Take(length));
    }

    private static int Level(DocumentBlock heading) => Math.Clamp(heading.HeadingLevel, 1, 6);

    private static int SectionLevel(int[] levelCounts)
    {
        for (var level = 1; level <= 6; level++)
        {
            if (levelCounts[level] > 1)
            {
                return level;
            }
        }

        for (var level = 1; level <= 6; level++)
        {
            if (levelCounts[level] > 0)
            {
                return level;
            }
        }

        return 0;
    }

    private static List<(int First, int Last)> FindSections(IReadOnlyList<DocumentBlock> blocks, int sectionLevel)
    {
        var sections = new List<(int First, int Last)>();
        var first = 0;
        var hasContent = false;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.Kind != DocumentBlockKind.Heading)
            {
                hasContent = true;
                continue;
            }

            // Headings with nothing under them yet stay with the section they introduce.
            if (Level(block) <= sectionLevel && hasContent)
            {
                sections.Add((first, i - 1));
                first = i;
                hasContent = false;
            }
        }

        if (blocks.Count > 0)
        {
            sections.Add((first, blocks.Count - 1));
        }

        return sections;
    }

    private static string Shorten(string heading)
    {
        if (heading.Length <= MaxHeadingLength)
        {
            return heading.ReplaceLineEndings(" ");
        }

        var cut = char.IsHighSurrogate(heading[MaxHeadingLength - 1]) ? MaxHeadingLength - 1 : MaxHeadingLength;
        return heading[..cut].ReplaceLineEndings(" ") + "…";
    }
}
