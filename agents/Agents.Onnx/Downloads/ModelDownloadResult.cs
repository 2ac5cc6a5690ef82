namespace Agents.Onnx.Downloads;

/// <summary>What a download did.</summary>
/// <param name="Destination">The full path of the destination folder.</param>
/// <param name="BytesReceived">Bytes received over the network in this download, across all files.</param>
public sealed record ModelDownloadResult(string Destination, IReadOnlyList<DownloadedFile> Files, long BytesReceived, TimeSpan Elapsed);
