namespace Agents.Onnx.Downloads;

/// <summary>Where one file of a download stands.</summary>
public enum DownloadStage
{
    /// <summary>The file's transfer starts; <see cref="DownloadProgress.FileBytes"/> is what a partial download already holds.</summary>
    Started,

    /// <summary>Bytes arrived.</summary>
    Receiving,

    /// <summary>The file is complete and in place (downloaded, resumed, or already there).</summary>
    Completed,
}
