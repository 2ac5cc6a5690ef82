using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Agents.Models;

/// <summary>
/// Hands tool declarations to the OpenAI adapter already converted. The adapter re-serializes every
/// tool's schema on every request — the largest per-call cost of a tool-using agent — although a
/// declaration never changes; here each one is converted once (<c>AsOpenAIChatTool</c>, the
/// adapter's own conversion) and passed through <see cref="ChatOptions.RawRepresentationFactory"/>.
/// </summary>
internal sealed class OpenAIToolDeclarations
{
    private readonly ConditionalWeakTable<AIFunctionDeclaration, ChatTool> _converted = [];

    /// <summary>Options with their tools pre-converted; the same options when there is nothing to convert.</summary>
    public ChatOptions? Apply(ChatOptions? options)
    {
        // Options that shape the conversion themselves (a raw factory, request-wide strict schemas) go to the adapter as they are.
        if (options?.Tools is not { Count: > 0 } tools || options.RawRepresentationFactory is not null || options.AdditionalProperties is { Count: > 0 })
        {
            return options;
        }

        var chatTools = new ChatTool[tools.Count];
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not AIFunctionDeclaration declaration)
            {
                // Hosted tools (web search, code interpreter …) have their own conversions; leave those to the adapter.
                return options;
            }

            chatTools[i] = _converted.GetValue(declaration, static d => d.AsOpenAIChatTool());
        }

        var toolChoice = options.ToolMode switch
        {
            NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
            RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
            RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
            _ => ChatToolChoice.CreateAutoChoice(),
        };
        var converted = options.Clone();
        converted.Tools = null;
        converted.ToolMode = null;
        converted.RawRepresentationFactory = _ =>
        {
            var completionOptions = new ChatCompletionOptions { ToolChoice = toolChoice };
            foreach (var tool in chatTools)
            {
                completionOptions.Tools.Add(tool);
            }

            return completionOptions;
        };
        return converted;
    }
}
