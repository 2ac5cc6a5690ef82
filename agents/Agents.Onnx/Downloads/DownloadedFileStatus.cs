namespace Agents.Onnx.Downloads;

/// <summary>How a file came to be in place.</summary>
public enum DownloadedFileStatus
{
    /// <summary>Downloaded from the first byte.</summary>
    Downloaded,

    /// <summary>Finished from a partial download an earlier, interrupted pull left behind.</summary>
    Resumed,

    /// <summary>Already in place with the expected hash or size; nothing was downloaded.</summary>
    AlreadyPresent,
}
