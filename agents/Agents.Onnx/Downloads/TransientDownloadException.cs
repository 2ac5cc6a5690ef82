namespace Agents.Onnx.Downloads;

/// <summary>An attempt failed in a way another attempt may not: a broken or stalled connection, a server error. Retried, never surfaced.</summary>
internal sealed class TransientDownloadException(string reason, int? statusCode = null, Exception? innerException = null)
    : Exception(reason, innerException)
{
    public int? StatusCode { get; } = statusCode;
}
