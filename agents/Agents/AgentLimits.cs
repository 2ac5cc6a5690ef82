namespace Agents;

/// <summary>
/// Bounds on one run. Hitting any of them ends the run with an <see cref="Steps.ErrorStep"/>, so a
/// model that keeps asking for tools can never loop forever.
/// </summary>
public sealed class AgentLimits
{
    /// <summary>Model calls per run.</summary>
    public int MaxSteps { get; set; } = 8;

    /// <summary>Tool invocations per run, across all steps.</summary>
    public int MaxToolCalls { get; set; } = 16;

    /// <summary>Input plus output tokens per run, as the model reports them; null for no bound.</summary>
    public long? MaxTotalTokens { get; set; }

    /// <summary>Wall time per run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1, nameof(MaxSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxToolCalls, nameof(MaxToolCalls));
        if (MaxTotalTokens is { } tokens)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1, nameof(MaxTotalTokens));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
