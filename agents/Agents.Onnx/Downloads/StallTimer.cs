namespace Agents.Onnx.Downloads;

/// <summary>
/// A token that fires when the caller cancels or when no progress was made for the stall timeout; each
/// <see cref="Restart"/> (a byte arrived) gives the connection another full timeout.
/// </summary>
internal sealed class StallTimer : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _stall;
    private readonly CancellationTokenSource _linked;

    public StallTimer(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _timeout = timeout;
        _stall = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stall.Token);
        Restart();
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the stall timeout, not the caller, cancelled <see cref="Token"/>.</summary>
    public bool Stalled => _stall.IsCancellationRequested;

    public void Restart()
    {
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _stall.CancelAfter(_timeout);
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _stall.Dispose();
    }
}
