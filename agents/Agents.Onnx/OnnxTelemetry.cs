using Microsoft.ML.OnnxRuntime;

namespace Agents.Onnx;

/// <summary>
/// ONNX Runtime's own usage telemetry (ETW events on Windows builds; other builds send none). It is off unless an
/// option opts in. The switch belongs to the process-wide <see cref="OrtEnv"/>, so the last model loaded sets it for all.
/// </summary>
internal static class OnnxTelemetry
{
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
}
