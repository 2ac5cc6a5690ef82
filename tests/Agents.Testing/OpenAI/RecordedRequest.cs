using System.Text.Json;

namespace Agents.Testing.OpenAI;

/// <summary>A chat-completions request as the fake server received it.</summary>
public sealed record RecordedRequest(string Path, string? Authorization, JsonElement Body)
{
    public bool Stream => Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

    public JsonElement Messages => Body.GetProperty("messages");

    public IReadOnlyList<string> ToolNames =>
        Body.TryGetProperty("tools", out var tools)
            ? [.. tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()!)]
            : [];
}
