using System.Globalization;
using System.Text.Json;
using Agents.Steps;
using Agents.Tracing;

namespace Agents.Playground.Rendering;

/// <summary>Short one-line descriptions of step fields, shared by the live view and the trace tree.</summary>
internal static class StepText
{
    private const int MaxInline = 200;

    public static string Duration(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms");

    public static string Tokens(long input, long output) =>
        string.Create(CultureInfo.InvariantCulture, $"{input:N0} in / {output:N0} out tokens");

    public static string Arguments(IReadOnlyDictionary<string, object?>? arguments) =>
        Inline(arguments is null ? "{}" : JsonSerializer.Serialize(arguments, StepJson.Options));

    /// <summary>One line, cut to a readable length: tool results can be whole web pages.</summary>
    public static string Inline(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxInline ? line : string.Concat(line.AsSpan(0, MaxInline), "…");
    }

    public static string Citation(Citation citation) =>
        citation.Position is null ? $"[{citation.Id}] {citation.Source}" : $"[{citation.Id}] {citation.Source} ({citation.Position})";

    /// <summary>The ids of retrieved passages, best first, cut to one line.</summary>
    public static string Hits(IReadOnlyList<RetrievalHit> hits) => Inline(string.Join(", ", hits.Select(h => h.Id)));
}
