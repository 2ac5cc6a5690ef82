namespace Agents.Onnx.Models;

/// <summary>One input or output of an ONNX graph.</summary>
/// <param name="ElementType">The tensor's element type as ONNX names it (<c>float</c>, <c>int64</c>, <c>float16</c>…), or null when not a tensor.</param>
/// <param name="Shape">Each dimension: a number, a symbolic name such as <c>batch_size</c>, or <c>?</c> when unnamed.</param>
public sealed record OnnxValueInfo(string Name, string? ElementType, IReadOnlyList<string> Shape)
{
    public override string ToString() =>
        ElementType is null ? Name : $"{Name} {ElementType}[{string.Join(", ", Shape)}]";
}
