namespace Agents.Onnx;

/// <summary>Where a local model runs.</summary>
public enum OnnxDevice
{
    /// <summary>The GPU when this build of ONNX Runtime can use one, otherwise the CPU (with one logged sentence).</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA; needs the CUDA build of the native packages (see the README).</summary>
    Cuda,
}
