using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx;

/// <summary>
/// ONNX Runtime's and ONNX Runtime GenAI's own usage telemetry (ETW events on Windows builds; other builds send none).
/// It is off unless an option opts in. Both switches are process-wide.
/// </summary>
internal static class OnnxTelemetry
{
    private static int s_genAIConfigured;

    /// <summary>ONNX Runtime's switch, on the process-wide <see cref="OrtEnv"/>: the last model loaded sets it for all.</summary>
    public static void Apply(bool enabled)
    {
        if (enabled)
        {
            OrtEnv.Instance().EnableTelemetryEvents();
        }
        else
        {
            OrtEnv.Instance().DisableTelemetryEvents();
        }
    }

    /// <summary>GenAI's switch (and ONNX Runtime's variable), set once, before the first chat model loads, by the first client made.</summary>
    public static void ApplyToGenAI(bool enabled)
    {
        if (Interlocked.Exchange(ref s_genAIConfigured, 1) != 0)
        {
            return;
        }

        if (enabled)
        {
            Utils.EnableTelemetryEvents();
        }
        else
        {
            Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
            Utils.DisableTelemetryEvents();
        }
    }
}
