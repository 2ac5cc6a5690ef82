using System.Text.RegularExpressions;
using Agents.Steps;

namespace Agents.Grounding;

/// <summary>
/// Finds the passages an answer cites: bracketed ids (<c>[guide.md#3]</c>, also <c>[a#1, b#2]</c>) that match a
/// passage retrieved in the same run. Brackets naming nothing retrieved (a Markdown link text, a made-up id) are
/// ignored, so a citation always points at something the model was really shown.
/// </summary>
internal static partial class CitationFinder
{
    public static IReadOnlyList<Citation> Find(string answer, IReadOnlyDictionary<string, RetrievedPassage> retrieved)
    {
        if (retrieved.Count == 0)
        {
            return [];
        }

        var citations = new List<Citation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Bracketed().Matches(answer))
        {
            foreach (var part in match.Groups[1].Value.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (retrieved.TryGetValue(part, out var passage) && seen.Add(passage.Id))
                {
                    citations.Add(new Citation(passage.Id, passage.Source, passage.Position));
                }
            }
        }

        return citations;
    }

    [GeneratedRegex(@"\[([^\[\]\r\n]{1,1000})\]")]
    private static partial Regex Bracketed();
}
