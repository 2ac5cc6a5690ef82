using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agents.Tools.Web.Extraction;

namespace Agents.Benchmarks.Extraction;

/// <summary>
/// Scores <see cref="MainContentExtractor"/> on trafilatura's evaluation corpus the way trafilatura's own
/// tests/eval_common.py does: per page, each "with" snippet found in the output (whitespace-normalised,
/// case-sensitive substring) is a true positive, each missing one a false negative; each "without" snippet
/// found is a false positive, each absent one a true negative. Prints precision, recall, accuracy, F1 and
/// pages per second.
/// </summary>
internal static partial class ExtractionEvaluation
{
    public static int Run(string? path, bool details, TextWriter output)
    {
        var annotations = FindAnnotations(path);
        if (annotations is null)
        {
            output.WriteLine($"No evaldata.json under '{path}'; pass the folder of trafilatura's tests (with evaldata.json, eval/ and cache/).");
            return 2;
        }

        var folder = Path.GetDirectoryName(annotations)!;
        using var json = JsonDocument.Parse(File.ReadAllBytes(annotations));
        var pages = new List<(string Url, string File, string[] With, string[] Without, string Html)>();
        foreach (var entry in json.RootElement.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var file = entry.Value.GetProperty("file").GetString()!;
            var resolved = new[] { "cache", "eval" }.Select(sub => Path.Combine(folder, sub, file)).FirstOrDefault(File.Exists);
            if (resolved is null)
            {
                output.WriteLine($"{entry.Name}: HTML file not found: {file}");
                return 1;
            }

            pages.Add((entry.Name, file, Strings(entry.Value, "with"), Strings(entry.Value, "without"), HtmlDecoding.Decode(File.ReadAllBytes(resolved))));
        }

        var extractor = new MainContentExtractor();
        long tp = 0, fp = 0, fn = 0, tn = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        foreach (var page in pages)
        {
            string result;
            try
            {
                result = Normalize(extractor.Extract(page.Html, new Uri(page.Url)).Text);
            }
            catch (Exception ex) when (ex is InvalidDataException)
            {
                // As in trafilatura's evaluation, an extractor that fails a page misses all of its snippets.
                failures++;
                output.WriteLine($"{page.File}: {ex.Message}");
                result = "";
            }

            var missed = page.With.Where(w => !result.Contains(Normalize(w), StringComparison.Ordinal)).ToList();
            var leaked = page.Without.Where(w => result.Contains(Normalize(w), StringComparison.Ordinal)).ToList();
            tp += page.With.Length - missed.Count;
            fn += missed.Count;
            fp += leaked.Count;
            tn += page.Without.Length - leaked.Count;
            if (details && missed.Count + leaked.Count > 0)
            {
                output.WriteLine($"{page.File}: missed {Quote(missed)} leaked {Quote(leaked)}");
            }
        }

        clock.Stop();
        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        var accuracy = Ratio(tp + tn, tp + tn + fp + fn);
        var f1 = Ratio(2 * tp, 2 * tp + fp + fn);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pages {pages.Count}, failed {failures}: tp {tp} fp {fp} fn {fn} tn {tn}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"precision {precision:F4}  recall {recall:F4}  accuracy {accuracy:F4}  F1 {f1:F4}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pages.Count / clock.Elapsed.TotalSeconds:F1} pages/s ({clock.Elapsed.TotalSeconds:F2} s, one thread, HTML already decoded)"));
        return 0;
    }

    private static string? FindAnnotations(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        return new[] { path, Path.Combine(path, "evaldata.json"), Path.Combine(path, "tests", "evaldata.json") }
            .FirstOrDefault(candidate => File.Exists(candidate) && candidate.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    private static string[] Strings(JsonElement entry, string name) =>
        [.. entry.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private static string Normalize(string text) => WhiteSpace().Replace(text, " ").Trim();

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static string Quote(List<string> snippets) =>
        "[" + string.Join(", ", snippets.Select(s => "\"" + (s.Length > 60 ? s[..60] + "…" : s) + "\"")) + "]";

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
