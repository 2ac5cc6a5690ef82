using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agents.Onnx.Chat;

/// <summary>
/// The Lark grammar that GenAI's guidance (llguidance) enforces while the model writes: free text, or
/// tool calls whose name is one of the offered tools and whose arguments are valid JSON for that tool's
/// schema. Markup that is one special token in the model's vocabulary is referenced by token id, so
/// the model writes it the way it was trained to.
/// </summary>
internal static class ToolCallGrammar
{
    public static string Build(ToolCallFormat format, IReadOnlyList<AIFunctionDeclaration> tools, bool callRequired, Func<string, int?> specialTokenId)
    {
        var call = new JsonObject
        {
            ["anyOf"] = new JsonArray([.. tools.Select(tool => (JsonNode)CallSchema(format, tool))]),
        };
        JsonObject schema = format.CallsAsArray
            ? new JsonObject { ["type"] = "array", ["items"] = call, ["minItems"] = 1 }
            : call;
        // Compact JSON: a model (above all an untrained one) cannot pad a call with endless whitespace.
        // Lenient: keywords llguidance does not enforce (such as "format") are ignored rather than refused.
        schema["x-guidance"] = new JsonObject { ["whitespace_flexible"] = false, ["lenient"] = true };

        var open = Terminal(format.OpenMarker, specialTokenId);
        var close = format.CloseMarker is null ? "" : " " + Terminal(format.CloseMarker, specialTokenId);
        var calls = format.RepeatsMarkup ? "call+" : "call";
        var openIsToken = specialTokenId(format.OpenMarker) is not null;

        // Text can never contain a special token, so text followed by a call is unambiguous; a marker
        // spelt in plain characters is kept unambiguous by not letting text start with '<'.
        var start = callRequired ? "start: calls"
            : openIsToken ? "start: TEXT | TEXT? calls"
            : "start: TEXT | calls";
        var text = openIsToken ? "TEXT: /(?s:.+)/" : "TEXT: /(?s:[^<].*)/";
        return $"""
            {start}
            calls: {calls}
            call: {open} %json {schema.ToJsonString()}{close}
            {text}

            """;
    }

    private static JsonObject CallSchema(ToolCallFormat format, AIFunctionDeclaration tool)
    {
        var parameters = JsonNode.Parse(tool.JsonSchema.GetRawText())!.AsObject();
        parameters.Remove("$schema");
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["name"] = new JsonObject { ["const"] = tool.Name },
                [format.ArgumentsProperty] = parameters,
            },
            ["required"] = new JsonArray("name", format.ArgumentsProperty),
            ["additionalProperties"] = false,
        };
    }

    private static string Terminal(string marker, Func<string, int?> specialTokenId) =>
        specialTokenId(marker) is { } id
            ? $"<[{id}]>"
            : JsonSerializer.Serialize(marker);
}
