using System.Text.RegularExpressions;

namespace Agents.Tools.Sql;

/// <summary>Names a statement by its first keywords ("VACUUM", "CREATE TEMP TABLE"), for refusals that should say what was refused.</summary>
internal static partial class LeadingKeywords
{
    public static string Of(string sql)
    {
        var match = Pattern().Match(sql);
        return match.Success
            ? string.Join(' ', match.Groups[1].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant()
            : "this statement";
    }

    // Skips whitespace, semicolons and both kinds of comment (one character or comment per step, so
    // nothing backtracks), then takes the first word, or for DDL the words up to the kind of object.
    [GeneratedRegex(
        @"^(?:[\s;]|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*((?:CREATE|DROP|ALTER)\s+(?:(?:TEMP|TEMPORARY|UNIQUE|VIRTUAL)\s+)?\w+|\w+)",
        RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
