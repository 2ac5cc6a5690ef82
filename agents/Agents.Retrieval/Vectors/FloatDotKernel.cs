namespace Agents.Retrieval.Vectors;

/// <summary>The float32 dot-product kernels, by register width.</summary>
internal enum FloatDotKernel
{
    /// <summary>Portable: runs everywhere, hardware-accelerated or not.</summary>
    Vector128,
    Vector256,
    Vector512,
}
