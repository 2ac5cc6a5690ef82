namespace Agents.Onnx;

/// <summary>Where a local ONNX model runs.</summary>
public enum OnnxDevice
{
    /// <summary>The CPU; always available.</summary>
    Cpu,

    /// <summary>
    /// An NVIDIA GPU through ONNX Runtime's CUDA execution provider. Only the GPU build of ONNX Runtime has it: a
    /// CPU-only build refuses with a clear error rather than quietly running on the CPU.
    /// </summary>
    Cuda,

    /// <summary>CUDA when this build of ONNX Runtime and the machine have it, else the CPU (logged once, in one sentence).</summary>
    Auto,
}
