using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Turns the bytes of a page into text, honouring a byte-order mark, a declared charset or (for HTML)
/// a meta charset. Used for files read from disk and for every body <see cref="WebFetcher"/> receives.
/// </summary>
public static partial class HtmlDecoding
{
    // The HTML standard's prescan looks at the first 1,024 bytes; pages in the wild put the meta tag later.
    private const int PrescanBytes = 8_192;

    /// <summary>
    /// Decodes <paramref name="bytes"/>; <paramref name="declaredCharset"/> (from a Content-Type header) wins over
    /// the page's meta tag, which is only looked for when <paramref name="readMetaCharset"/> (HTML, not JSON or text).
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? declaredCharset = null, bool readMetaCharset = true)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        var encoding = Lookup(declaredCharset) ?? (readMetaCharset ? Lookup(MetaCharset(bytes)) : null);
        if (encoding is not null && encoding.CodePage != Encoding.UTF8.CodePage)
        {
            return encoding.GetString(bytes);
        }

        // Undeclared or UTF-8: pages that say UTF-8 but are not are common; Windows-1252 is the web's fallback.
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (Lookup("windows-1252") ?? Encoding.Latin1).GetString(bytes);
        }
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? MetaCharset(ReadOnlySpan<byte> bytes)
    {
        var head = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, PrescanBytes)]);
        var match = CharsetPattern().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static Encoding? Lookup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        name = name.Trim().Trim('"', '\'');
        if (name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || name.Equals("latin1", StringComparison.OrdinalIgnoreCase))
        {
            // The HTML standard reads these labels as Windows-1252.
            name = "windows-1252";
        }

        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            // An unknown label is treated as no label: the UTF-8/Windows-1252 sniffing still applies.
            return null;
        }
    }

    [GeneratedRegex("""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharsetPattern();
}
