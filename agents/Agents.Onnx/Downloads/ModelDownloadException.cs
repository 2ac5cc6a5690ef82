namespace Agents.Onnx.Downloads;

/// <summary>A model download failed; the message is one sentence naming the file and what to do.</summary>
public sealed class ModelDownloadException : Exception
{
    public ModelDownloadException(string message, ModelDownloadFailure failure, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    /// <summary>What kind of failure this was.</summary>
    public ModelDownloadFailure Failure { get; }

    /// <summary>The HTTP status of the response that failed, when there was one.</summary>
    public int? StatusCode { get; }
}
