namespace Agents.Onnx.Downloads;

/// <summary>One file's transfer across attempts: what its partial file holds, and how much arrived in this download.</summary>
internal sealed class FileTransfer
{
    private readonly DownloadProgressTracker _tracker;
    private bool _begun;

    public FileTransfer(ModelFile file, string partialPath, string statePath, DownloadProgressTracker tracker)
    {
        File = file;
        PartialPath = partialPath;
        StatePath = statePath;
        _tracker = tracker;
        OnDisk = System.IO.File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
    }

    public ModelFile File { get; }

    public string PartialPath { get; }

    public string StatePath { get; }

    /// <summary>Bytes in the partial file.</summary>
    public long OnDisk { get; private set; }

    /// <summary>Bytes received in this download.</summary>
    public long Received { get; private set; }

    /// <summary>What an earlier download left in the partial file and this one kept; 0 when it started from the first byte.</summary>
    public long ResumedFrom { get; private set; }

    /// <summary>A response is about to be written from byte <paramref name="from"/> (0 truncates the partial file).</summary>
    public void Begin(long from, long? length)
    {
        if (!_begun || from == 0)
        {
            ResumedFrom = _begun ? 0 : from;
        }

        _begun = true;
        OnDisk = from;
        _tracker.Reset(from, length);
    }

    /// <summary>The partial file was discarded.</summary>
    public void Restart()
    {
        OnDisk = 0;
        _tracker.Reset(0, null);
    }

    public void Receive(int count)
    {
        OnDisk += count;
        Received += count;
        _tracker.Receive(count);
    }
}
