namespace Agents.Onnx;

/// <summary>Where a local ONNX model runs.</summary>
public enum OnnxDevice
{
    /// <summary>The CPU; always available.</summary>
    Cpu,

    /// <summary>
    /// An NVIDIA GPU through CUDA. Only the CUDA builds of the native packages have it (see the README): a CPU-only
    /// build refuses with a clear error rather than quietly running on the CPU.
    /// </summary>
    Cuda,

    /// <summary>CUDA when this build and the machine have it, else the CPU (logged once, in one sentence).</summary>
    Auto,
}
