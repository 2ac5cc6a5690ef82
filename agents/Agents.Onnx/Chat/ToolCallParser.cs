using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Onnx.Chat;

/// <summary>Turns the tool-call markup a model wrote into <see cref="FunctionCallContent"/>s.</summary>
internal static class ToolCallParser
{
    /// <summary>The calls in <paramref name="markup"/>, or null when it is not complete, well-formed call markup.</summary>
    public static IReadOnlyList<FunctionCallContent>? Parse(ToolCallFormat format, string markup, Func<string> newCallId)
    {
        var calls = new List<FunctionCallContent>();
        var rest = markup.AsSpan().Trim();
        while (!rest.IsEmpty)
        {
            if (!rest.StartsWith(format.OpenMarker, StringComparison.Ordinal))
            {
                return null;
            }

            rest = rest[format.OpenMarker.Length..];
            ReadOnlySpan<char> json;
            if (format.CloseMarker is null)
            {
                json = rest;
                rest = [];
            }
            else
            {
                var end = rest.IndexOf(format.CloseMarker, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                json = rest[..end];
                rest = rest[(end + format.CloseMarker.Length)..].TrimStart();
            }

            if (!TryReadCalls(format, json, newCallId, calls))
            {
                return null;
            }
        }

        return calls.Count > 0 ? calls : null;
    }

    /// <summary>
    /// Scalars as .NET values, as function binders expect (Semantic Kernel converts a string to an enum, not a
    /// JsonElement); objects and arrays stay JSON for the binder to deserialise into the parameter's type.
    /// </summary>
    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        // A number beyond double's range stays JSON rather than turning into infinity.
        JsonValueKind.Number when value.TryGetDouble(out var real) && double.IsFinite(real) => real,
        _ => value.Clone(),
    };

    private static bool TryReadCalls(ToolCallFormat format, ReadOnlySpan<char> json, Func<string> newCallId, List<FunctionCallContent> calls)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToString());
            var root = document.RootElement;
            if (format.CallsAsArray != (root.ValueKind == JsonValueKind.Array))
            {
                return false;
            }

            foreach (var call in format.CallsAsArray ? root.EnumerateArray() : Enumerable.Repeat(root, 1))
            {
                if (call.ValueKind != JsonValueKind.Object
                    || !call.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !call.TryGetProperty(format.ArgumentsProperty, out var arguments) || arguments.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var values = arguments.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value));
                calls.Add(new FunctionCallContent(newCallId(), name.GetString()!, values));
            }

            return true;
        }
        catch (JsonException)
        {
            // Unconstrained output (or output cut off by the token limit) that only looks like a call is shown as text.
            return false;
        }
    }
}
