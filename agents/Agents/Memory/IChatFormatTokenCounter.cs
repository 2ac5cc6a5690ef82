using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>
/// A token counter that also knows what its model's chat format adds around each message and before the reply,
/// so <see cref="ContextWindowFitter"/> estimates a prompt in that format instead of OpenAI's. A local model's
/// client offers one: its chat template may spend more tokens on a message than OpenAI's four, and more on a
/// tool result than on a question.
/// </summary>
public interface IChatFormatTokenCounter : ITokenCounter
{
    /// <summary>Tokens <paramref name="message"/> costs besides its content (role and delimiters), at most.</summary>
    int CountMessageOverhead(ChatMessage message);

    /// <summary>Tokens every prompt costs once, for what starts the model's reply.</summary>
    int ReplyPrimingTokens { get; }

    /// <summary>Tokens the declarations of <paramref name="tools"/> add to every prompt that offers them.</summary>
    int CountToolsOverhead(IReadOnlyList<AITool> tools);
}
