using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Agents.Onnx.Embeddings;

/// <summary>
/// Removes accents as Hugging Face's BERT tokenizer does (NFD, then every non-spacing mark dropped): é → e, Å → A,
/// 한 → ᄒ ᅡ ᆫ. <see cref="string.Normalize(NormalizationForm)"/> cannot be used: without ICU (InvariantGlobalization, or a
/// container without libicu) it leaves non-ASCII text as it is. The decompositions come from accent-folding.txt, made
/// by make_accent_folding.py from Python's unicodedata; Hangul syllables are decomposed by the Unicode formula.
/// </summary>
internal static class AccentFolding
{
    private const int HangulFirst = 0xAC00;
    private const int HangulLast = 0xD7A3;
    private const int LeadingBase = 0x1100;
    private const int VowelBase = 0x1161;
    private const int TrailingBase = 0x11A7;
    private const int VowelCount = 21;
    private const int TrailingCount = 28;

    private static readonly FrozenDictionary<int, string> Table = Load();

    /// <summary>
    /// <paramref name="rune"/> without its accents: null when it has none, empty for a non-spacing mark on its own.
    /// </summary>
    public static string? Fold(Rune rune)
    {
        if (rune.IsAscii)
        {
            return null;
        }

        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
        {
            return string.Empty;
        }

        if (rune.Value is >= HangulFirst and <= HangulLast)
        {
            var index = rune.Value - HangulFirst;
            var leading = (char)(LeadingBase + (index / (VowelCount * TrailingCount)));
            var vowel = (char)(VowelBase + (index % (VowelCount * TrailingCount) / TrailingCount));
            return index % TrailingCount == 0 ? string.Concat(leading, vowel) : string.Concat(leading, vowel, (char)(TrailingBase + (index % TrailingCount)));
        }

        return Table.GetValueOrDefault(rune.Value);
    }

    private static FrozenDictionary<int, string> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("Agents.Onnx.Embeddings.accent-folding.txt")
            ?? throw new InvalidOperationException("The accent-folding table is missing from Agents.Onnx; the assembly was built without its embedded resource.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(' ');
            var folded = new StringBuilder();
            foreach (var field in fields.AsSpan(1))
            {
                folded.Append(char.ConvertFromUtf32(int.Parse(field, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            table[int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = folded.ToString();
        }

        return table.ToFrozenDictionary();
    }
}
