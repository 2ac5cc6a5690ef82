using System.Globalization;
using System.Text;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// Turns user text into an FTS5 query that can only mean "any of these words": each word is emitted as a quoted
/// string, so FTS syntax in the input (NEAR, *, ^, column filters, unbalanced quotes) is matched as text, never run.
/// </summary>
internal static class FullTextQuery
{
    private const int MaxWordLength = 128;

    /// <summary>The FTS5 MATCH expression for terms from <see cref="Terms"/>, or null when there are none.</summary>
    public static string? Match(IReadOnlyCollection<string> terms) =>
        // Words are letters and digits only, so a plain quote around each is a complete escape.
        terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => "\"" + t + "\""));

    /// <summary>The distinct searchable words of <paramref name="keywords"/>, in order, lower-cased as FTS5 indexes them.</summary>
    /// <param name="maxTerms">Words beyond this many are ignored, which bounds the cost of a huge query.</param>
    public static List<string> Terms(IEnumerable<string> keywords, int maxTerms)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in keywords)
        {
            foreach (var word in Words(text ?? string.Empty))
            {
                // A "word" longer than any real one (a pasted blob) cannot match usefully; it is skipped.
                if (word.Length <= MaxWordLength && seen.Add(word) && terms.Count < maxTerms)
                {
                    terms.Add(word);
                }
            }

            if (terms.Count >= maxTerms)
            {
                break;
            }
        }

        return terms;
    }

    // Splits as FTS5's unicode61 tokenizer does: letters, digits and marks make words; everything else separates.
    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isWordPart = Rune.IsLetterOrDigit(rune)
                || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
            if (isWordPart)
            {
                word.Append(rune.ToString().ToLowerInvariant());
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
