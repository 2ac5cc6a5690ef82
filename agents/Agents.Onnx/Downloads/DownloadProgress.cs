namespace Agents.Onnx.Downloads;

/// <summary>Where a download stands: reported when a file starts, as bytes arrive (at most a few times a second), and when it completes.</summary>
/// <param name="Path">The file being worked on, relative to the destination.</param>
/// <param name="FileNumber">Which file this is, from 1.</param>
/// <param name="FileBytes">Bytes of this file on disk so far, a resumed part included.</param>
/// <param name="FileLength">The file's length once known.</param>
/// <param name="Bytes">Bytes on disk so far across all files.</param>
/// <param name="TotalBytes">All files' length together, once every length is known.</param>
/// <param name="BytesPerSecond">The transfer rate of this download so far (resumed bytes are not counted as received).</param>
/// <param name="Remaining">The estimated time left, when the total and a rate are known.</param>
public sealed record DownloadProgress(
    string Path,
    int FileNumber,
    int FileCount,
    DownloadStage Stage,
    long FileBytes,
    long? FileLength,
    long Bytes,
    long? TotalBytes,
    double BytesPerSecond,
    TimeSpan? Remaining);
