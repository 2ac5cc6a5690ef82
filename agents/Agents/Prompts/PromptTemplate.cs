using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Prompts;

/// <summary>
/// A prompt file from the repository's prompts/ folder, embedded in this assembly, with
/// <c>{{name}}</c> placeholders. Values are inserted in one pass and never re-scanned, so text
/// coming from users or tools cannot inject further placeholders.
/// </summary>
public sealed partial class PromptTemplate
{
    private static readonly ConcurrentDictionary<string, PromptTemplate> Loaded = new(StringComparer.Ordinal);

    private readonly string _text;

    private PromptTemplate(string name, string text)
    {
        Name = name;
        _text = text;
    }

    /// <summary>The path under prompts/, e.g. <c>agent/system.md</c>.</summary>
    public string Name { get; }

    /// <summary>Loads an embedded prompt by its path under prompts/.</summary>
    public static PromptTemplate Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Loaded.GetOrAdd(name, static n =>
        {
            var assembly = typeof(PromptTemplate).Assembly;
            using var stream = assembly.GetManifestResourceStream("Agents.Prompts." + n)
                ?? throw new ArgumentException($"There is no prompt named '{n}' under prompts/.", nameof(name));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return new PromptTemplate(n, reader.ReadToEnd().TrimEnd('\n', '\r'));
        });
    }

    /// <summary>Fills the placeholders; a placeholder without a value is an error, not silent empty text.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(_text, match =>
            values.TryGetValue(match.Groups[1].Value, out var value)
                ? value
                : throw new KeyNotFoundException($"Prompt '{Name}' needs a value for '{match.Groups[1].Value}'."));
    }

    [GeneratedRegex(@"\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}")]
    private static partial Regex Placeholder();
}
