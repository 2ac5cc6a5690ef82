namespace Agents.Steps;

/// <summary>Tokens sent to and received from the model. A value type: runs add to it after every model call.</summary>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens)
{
    public static TokenUsage Zero { get; } = new(0, 0);

    public long TotalTokens => InputTokens + OutputTokens;

    public TokenUsage Add(long inputTokens, long outputTokens) => new(InputTokens + inputTokens, OutputTokens + outputTokens);
}
