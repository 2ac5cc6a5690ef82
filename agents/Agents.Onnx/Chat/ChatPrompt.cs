using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agents.Onnx.Chat;

/// <summary>
/// Renders a conversation into the prompt text the model was trained on, through its own chat template
/// (GenAI's <c>ApplyChatTemplate</c>). Earlier tool calls are written back in the model's call format and
/// tool results as tool turns; a template that knows no tools gets the tool list in the system turn.
/// </summary>
internal static class ChatPrompt
{
    public static string Render(
        Func<string, string, string, string> applyTemplate,
        string template,
        ToolCallFormat format,
        IEnumerable<ChatMessage> messages,
        IReadOnlyList<AIFunctionDeclaration> tools)
    {
        var templateShowsTools = template.Contains("tools", StringComparison.Ordinal);
        var turns = new JsonArray();
        foreach (var message in messages)
        {
            turns.Add(Turn(message, format, templateShowsTools));
        }

        if (tools.Count > 0 && !templateShowsTools)
        {
            AddToolInstructions(turns, format, tools);
        }

        var toolsJson = tools.Count > 0 && templateShowsTools ? ToolList(tools).ToJsonString() : "";
        return applyTemplate(template, turns.ToJsonString(), toolsJson);
    }

    private static JsonObject Turn(ChatMessage message, ToolCallFormat format, bool templateShowsTools)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            var content = string.Join("\n", results.Select(r => ResultText(r.Result)));
            return templateShowsTools
                ? new JsonObject { ["role"] = "tool", ["content"] = content }
                : new JsonObject { ["role"] = "user", ["content"] = $"<tool_response>\n{content}\n</tool_response>" };
        }

        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count > 0)
        {
            text += CallMarkup(format, calls);
        }

        return new JsonObject { ["role"] = message.Role.Value, ["content"] = text };
    }

    /// <summary>Calls written back exactly as the model would write them, so the history reads as its own.</summary>
    internal static string CallMarkup(ToolCallFormat format, IReadOnlyList<FunctionCallContent> calls)
    {
        JsonObject Call(FunctionCallContent call) => new()
        {
            ["name"] = call.Name,
            [format.ArgumentsProperty] = JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()),
        };

        if (format.CallsAsArray)
        {
            return format.OpenMarker + new JsonArray([.. calls.Select(c => (JsonNode)Call(c))]).ToJsonString() + format.CloseMarker;
        }

        return string.Concat(calls.Select(c => format.OpenMarker + Call(c).ToJsonString() + format.CloseMarker));
    }

    private static string ResultText(object? result) => result switch
    {
        null => "null",
        string text => text,
        JsonElement element when element.ValueKind == JsonValueKind.String => element.GetString()!,
        _ => JsonSerializer.Serialize(result),
    };

    private static JsonArray ToolList(IReadOnlyList<AIFunctionDeclaration> tools) =>
        new([.. tools.Select(tool => (JsonNode)new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = tool.Name,
                ["description"] = tool.Description,
                ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
            },
        })]);

    private static void AddToolInstructions(JsonArray turns, ToolCallFormat format, IReadOnlyList<AIFunctionDeclaration> tools)
    {
        var example = format.CallsAsArray
            ? $"{format.OpenMarker}[{{\"name\": <tool name>, \"{format.ArgumentsProperty}\": <arguments object>}}]{format.CloseMarker}"
            : $"{format.OpenMarker}{{\"name\": <tool name>, \"{format.ArgumentsProperty}\": <arguments object>}}{format.CloseMarker}";
        var instructions =
            "You can call these tools:\n" +
            string.Join("\n", ToolList(tools).Select(t => t!.ToJsonString())) +
            $"\nTo call one, reply with only {example}";
        if (turns.Count > 0 && turns[0]!["role"]!.GetValue<string>() == "system")
        {
            turns[0]!["content"] = turns[0]!["content"]!.GetValue<string>() + "\n\n" + instructions;
        }
        else
        {
            turns.Insert(0, new JsonObject { ["role"] = "system", ["content"] = instructions });
        }
    }
}
