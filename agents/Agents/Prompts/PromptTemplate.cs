using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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

    // Split once at load: literal text alternates with placeholder names (even indexes literal, odd names),
    // so rendering, which happens on every tool call, is a concatenation.
    private readonly string[] _parts;

    private PromptTemplate(string name, string text)
    {
        Name = name;
        _parts = Placeholder().Split(text);
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
    public string Render(params ReadOnlySpan<KeyValuePair<string, string>> values)
    {
        var length = 0;
        foreach (var part in _parts)
        {
            length += part.Length;
        }

        foreach (var value in values)
        {
            length += value.Value.Length;
        }

        // A pooled buffer of the exact size: the finished string is the only allocation.
        var text = new DefaultInterpolatedStringHandler(length, 0);
        for (var i = 0; i < _parts.Length; i++)
        {
            text.AppendLiteral(i % 2 == 0 ? _parts[i] : ValueOf(_parts[i], values));
        }

        return text.ToStringAndClear();
    }

    private string ValueOf(string placeholder, ReadOnlySpan<KeyValuePair<string, string>> values)
    {
        foreach (var (key, value) in values)
        {
            if (key == placeholder)
            {
                return value;
            }
        }

        throw new KeyNotFoundException($"Prompt '{Name}' needs a value for '{placeholder}'.");
    }

    [GeneratedRegex(@"\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}")]
    private static partial Regex Placeholder();
}
