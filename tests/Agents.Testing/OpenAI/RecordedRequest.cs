using System.Text.Json;

namespace Agents.Testing.OpenAI;

/// <summary>A chat-completions or embeddings request as the fake server received it.</summary>
public sealed record RecordedRequest(string Path, string? Authorization, JsonElement Body)
{
    public bool Stream => Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

    public JsonElement Messages => Body.GetProperty("messages");

    /// <summary>An embeddings request's texts: its <c>input</c>, one string or an array of them.</summary>
    public IReadOnlyList<string> EmbeddingInputs
    {
        get
        {
            var input = Body.GetProperty("input");
            return input.ValueKind == JsonValueKind.String
                ? [input.GetString()!]
                : [.. input.EnumerateArray().Select(i => i.GetString()!)];
        }
    }

    public IReadOnlyList<string> ToolNames =>
        Body.TryGetProperty("tools", out var tools)
            ? [.. tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()!)]
            : [];
}
