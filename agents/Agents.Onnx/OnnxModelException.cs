namespace Agents.Onnx;

/// <summary>A local model could not be loaded or run; the message says what is wrong and what to do.</summary>
public sealed class OnnxModelException : Exception
{
    public OnnxModelException(string message)
        : base(message)
    {
    }

    public OnnxModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
