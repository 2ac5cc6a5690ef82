using Agents.Onnx.Downloads;

namespace Agents.Onnx.Tests.Downloads;

/// <summary>Reports on the downloader's own thread, so a test sees every report before the download returns.</summary>
internal sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
{
    public void Report(DownloadProgress value) => report(value);
}
