using Microsoft.Extensions.Logging;

namespace Agents.Onnx.Chat;

/// <summary>How an <see cref="OnnxChatClient"/> loads and drives its model. Every setting has a safe default.</summary>
public sealed class OnnxChatClientOptions
{
    /// <summary>Where the model runs; <see cref="OnnxDevice.Auto"/> (the default) uses CUDA when this build has it, else the CPU.</summary>
    public OnnxDevice Device { get; set; } = OnnxDevice.Auto;

    /// <summary>A Jinja chat template to use instead of the folder's own (tokenizer_config.json or chat_template.jinja).</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>The markup the model writes tool calls in; null (the default) picks it from the chat template.</summary>
    public ToolCallFormat? ToolCallFormat { get; set; }

    /// <summary>
    /// Constrain what the model writes when tools are offered (GenAI guidance): free text, or calls to offered
    /// tools with arguments valid for their schemas. On by default; off leaves the model free and unparseable
    /// calls come back as text.
    /// </summary>
    public bool ConstrainToolCalls { get; set; } = true;

    /// <summary>Keep the model's key-value cache between turns and feed it only the new tokens. On by default.</summary>
    public bool ReuseKeyValueCache { get; set; } = true;

    /// <summary>Let ONNX Runtime GenAI send its native telemetry events; off by default.</summary>
    public bool EnableTelemetry { get; set; }

    /// <summary>Receives the one-sentence notes the client writes (such as falling back from CUDA to the CPU).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
