namespace Agents.Onnx.Downloads;

/// <summary>A file that a download put in place.</summary>
/// <param name="Path">The file's path relative to the destination, as in <see cref="ModelFile.Path"/>.</param>
/// <param name="FullPath">Where the file is on disk.</param>
/// <param name="Sha256">The file's SHA-256 as lowercase hex.</param>
/// <param name="Verified">Whether the hash was checked against one the source gave.</param>
/// <param name="BytesReceived">Bytes received for this file in this download; less than <paramref name="Size"/> when resumed.</param>
public sealed record DownloadedFile(string Path, string FullPath, long Size, string Sha256, bool Verified, DownloadedFileStatus Status, long BytesReceived);
