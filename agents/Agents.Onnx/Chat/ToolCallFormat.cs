namespace Agents.Onnx.Chat;

/// <summary>
/// How a model family writes a tool call: the markup around the JSON, the name of the arguments field,
/// and whether calls come as a JSON array. Chosen from the chat template unless set in
/// <see cref="OnnxChatClientOptions.ToolCallFormat"/>.
/// </summary>
public sealed class ToolCallFormat
{
    private ToolCallFormat(string name, string openMarker, string? closeMarker, string argumentsProperty, bool callsAsArray)
    {
        Name = name;
        OpenMarker = openMarker;
        CloseMarker = closeMarker;
        ArgumentsProperty = argumentsProperty;
        CallsAsArray = callsAsArray;
    }

    /// <summary>Qwen and Hermes: <c>&lt;tool_call&gt;{"name": …, "arguments": {…}}&lt;/tool_call&gt;</c>, one block per call. Also the format for models whose template knows no tools.</summary>
    public static ToolCallFormat Hermes { get; } = new("hermes", "<tool_call>", "</tool_call>", "arguments", callsAsArray: false);

    /// <summary>Llama 3.1 and later: <c>&lt;|python_tag|&gt;{"name": …, "parameters": {…}}</c>.</summary>
    public static ToolCallFormat Llama3 { get; } = new("llama3", "<|python_tag|>", closeMarker: null, "parameters", callsAsArray: false);

    /// <summary>Phi-4-mini: <c>&lt;|tool_call|&gt;[{"name": …, "arguments": {…}}]&lt;|/tool_call|&gt;</c>.</summary>
    public static ToolCallFormat Phi4 { get; } = new("phi4", "<|tool_call|>", "<|/tool_call|>", "arguments", callsAsArray: true);

    public string Name { get; }

    public string OpenMarker { get; }

    public string? CloseMarker { get; }

    public string ArgumentsProperty { get; }

    public bool CallsAsArray { get; }

    /// <summary>Whether several calls may follow each other, each in its own markup.</summary>
    internal bool RepeatsMarkup => !CallsAsArray && CloseMarker is not null;

    public override string ToString() => Name;

    /// <summary>The format a chat template writes calls in; Hermes when it shows none.</summary>
    internal static ToolCallFormat Detect(string? chatTemplate) =>
        chatTemplate switch
        {
            not null when chatTemplate.Contains(Phi4.OpenMarker, StringComparison.Ordinal) => Phi4,
            not null when chatTemplate.Contains(Llama3.OpenMarker, StringComparison.Ordinal) => Llama3,
            _ => Hermes,
        };
}
