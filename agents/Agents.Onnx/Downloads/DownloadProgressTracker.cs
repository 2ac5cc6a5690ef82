namespace Agents.Onnx.Downloads;

/// <summary>Adds up one download's bytes and reports them, bytes-received reports at most every <see cref="Interval"/>.</summary>
internal sealed class DownloadProgressTracker
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<ModelFile> _files;
    private readonly IProgress<DownloadProgress>? _progress;
    private readonly TimeProvider _timeProvider;
    private readonly long?[] _lengths;
    private readonly long[] _onDisk;
    private readonly long _started;
    private long _lastReport;
    private int _current;

    public DownloadProgressTracker(IReadOnlyList<ModelFile> files, IProgress<DownloadProgress>? progress, TimeProvider timeProvider)
    {
        _files = files;
        _progress = progress;
        _timeProvider = timeProvider;
        _lengths = [.. files.Select(f => f.Size)];
        _onDisk = new long[files.Count];
        _started = timeProvider.GetTimestamp();
        _lastReport = _started;
    }

    /// <summary>Bytes received over the network so far.</summary>
    public long Received { get; private set; }

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_started);

    public void Start(int index, long onDisk)
    {
        _current = index;
        _onDisk[index] = onDisk;
        Report(DownloadStage.Started);
    }

    /// <summary>What is on disk of the current file now (a response began: a resumed part, or nothing after a restart) and its length.</summary>
    public void Reset(long onDisk, long? length)
    {
        _onDisk[_current] = onDisk;
        _lengths[_current] = length ?? _lengths[_current];
    }

    public void Receive(int count)
    {
        _onDisk[_current] += count;
        Received += count;
        if (_timeProvider.GetElapsedTime(_lastReport) >= Interval)
        {
            Report(DownloadStage.Receiving);
        }
    }

    public void Complete(long length)
    {
        _onDisk[_current] = length;
        _lengths[_current] = length;
        Report(DownloadStage.Completed);
    }

    private void Report(DownloadStage stage)
    {
        if (_progress is null)
        {
            return;
        }

        _lastReport = _timeProvider.GetTimestamp();
        var bytes = _onDisk.Sum();
        long? total = _lengths.All(l => l is not null) ? _lengths.Sum(l => l!.Value) : null;
        var seconds = Elapsed.TotalSeconds;
        var rate = seconds > 0 ? Received / seconds : 0;
        TimeSpan? remaining = total is { } t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - bytes) / rate) : null;
        _progress.Report(new DownloadProgress(
            _files[_current].Path, _current + 1, _files.Count, stage, _onDisk[_current], _lengths[_current], bytes, total, rate, remaining));
    }
}
