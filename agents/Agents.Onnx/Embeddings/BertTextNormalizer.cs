using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Agents.Onnx.Embeddings;

/// <summary>
/// Hugging Face's BERT BasicTokenizer, as a <see cref="Normalizer"/> for Microsoft.ML.Tokenizers' BERT tokenizer: it
/// drops control characters, turns every white space into a space, puts spaces around CJK ideographs, lower-cases and
/// strips accents as configured, and puts spaces around punctuation, so that splitting on white space
/// (<see cref="PreTokenizer.CreateWhiteSpace"/>) gives the words WordPiece then splits.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own BERT normalizer and pre-tokenizer differ from the Hugging Face tokenizers the models
/// were trained with: they delete tabs and line breaks instead of reading them as spaces (gluing "a\tb" into one word),
/// drop symbols such as $, +, = and emoji instead of keeping them as tokens, and strip no accents without ICU.
/// Special-token strings in the text ("[SEP]") are read as plain text, so a text cannot inject them.
/// </remarks>
internal sealed class BertTextNormalizer(bool lowerCase, bool stripAccents, bool tokenizeCjk) : Normalizer
{
    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var builder = new StringBuilder(original.Length + 16);
        foreach (var rune in original.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else if (tokenizeCjk && IsCjk(rune.Value))
            {
                AppendRune(builder.Append(' '), rune).Append(' ');
            }
            else
            {
                var cased = lowerCase ? Rune.ToLowerInvariant(rune) : rune;
                if (stripAccents && AccentFolding.Fold(cased) is { } folded)
                {
                    // Folding can uncover punctuation (U+1FEF, Greek varia, is a backtick), and capitals that invariant
                    // casing left alone (U+0130, İ, is I and a dot), so each part is checked and cased again.
                    foreach (var part in folded.EnumerateRunes())
                    {
                        AppendLetterOrPunctuation(builder, lowerCase ? Rune.ToLowerInvariant(part) : part);
                    }
                }
                else
                {
                    AppendLetterOrPunctuation(builder, cased);
                }
            }
        }

        return builder.ToString();
    }

    private static void AppendLetterOrPunctuation(StringBuilder builder, Rune rune)
    {
        if (IsPunctuation(rune))
        {
            AppendRune(builder.Append(' '), rune).Append(' ');
        }
        else
        {
            AppendRune(builder, rune);
        }
    }

    private static StringBuilder AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> utf16 = stackalloc char[2];
        return builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    // Tab, line feed and carriage return are white space, not control characters, to Hugging Face.
    private static bool IsWhiteSpace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    // ASCII symbols ($, +, <, ^, `, |, ~ …) count as punctuation too, as in BERT's original tokenizer.
    private static bool IsPunctuation(Rune rune) =>
        rune.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsCjk(int codePoint) =>
        codePoint is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
