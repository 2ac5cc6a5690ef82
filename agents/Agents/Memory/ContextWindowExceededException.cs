namespace Agents.Memory;

/// <summary>
/// Thrown when the messages that must always be sent (system prompt and newest user message) do not fit the context window.
/// </summary>
public sealed class ContextWindowExceededException : Exception
{
    public ContextWindowExceededException(int requiredTokens, int maxInputTokens)
        : base($"The system prompt and the newest user message need {requiredTokens} tokens but the context window allows {maxInputTokens}; shorten them or raise the context window.")
    {
        RequiredTokens = requiredTokens;
        MaxInputTokens = maxInputTokens;
    }

    /// <summary>Tokens the messages that cannot be dropped need, reply priming included.</summary>
    public int RequiredTokens { get; }

    /// <summary>The input budget they had to fit.</summary>
    public int MaxInputTokens { get; }
}
