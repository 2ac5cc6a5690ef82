using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents model pull|list|info</c>: local ONNX models on disk. Pulled models land in the model cache
/// (<c>AGENTS_MODELS</c>, default <c>~/.cache/agents/models</c>) unless <c>--to</c> says otherwise.
/// </summary>
internal static class ModelCommand
{
    // Paths and sentences for people: quotes and non-ASCII names stay as written.
    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal) =>
        new("model", "Local ONNX models: download with progress and resume (pull), list the model cache (list), describe a model folder (info).")
        {
            ModelPullCommand.Create(terminal),
            ModelListCommand.Create(terminal),
            ModelInfoCommand.Create(terminal),
        };

    internal static Option<bool> Json(string description) => new("--json") { Description = description };

    internal static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
}
