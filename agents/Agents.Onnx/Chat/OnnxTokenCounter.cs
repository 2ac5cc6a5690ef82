using Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Chat;

/// <summary>
/// Counts tokens with the local model's own tokenizer, and knows what its chat template spends around each kind of
/// message, measured once by rendering a one-word message of each kind, so an agent fits history to the window exactly.
/// </summary>
internal sealed class OnnxTokenCounter : IChatFormatTokenCounter
{
    // Tokens can merge across a message's edges in ways the one-word probe does not show.
    private const int Slack = 1;

    private readonly Tokenizer _tokenizer;
    private readonly Func<IReadOnlyList<ChatMessage>, IReadOnlyList<AIFunctionDeclaration>, bool, string?> _render;
    private readonly Dictionary<(ChatRole Role, bool Calls, bool Results), int> _overheads = [];
    private readonly int _largestOverhead;

    /// <param name="render">The prompt for some messages and tools, with or without the reply's start; null when the template cannot render them.</param>
    public OnnxTokenCounter(Tokenizer tokenizer, Func<IReadOnlyList<ChatMessage>, IReadOnlyList<AIFunctionDeclaration>, bool, string?> render)
    {
        _tokenizer = tokenizer;
        _render = render;
        ChatMessage[] probes =
        [
            new(ChatRole.System, "x"),
            new(ChatRole.User, "x"),
            new(ChatRole.Assistant, "x"),
            new(ChatRole.Assistant, [new FunctionCallContent("c", "f", new Dictionary<string, object?>())]),
            new(ChatRole.Tool, [new FunctionResultContent("c", "x")]),
        ];
        foreach (var probe in probes)
        {
            if (render([probe], [], false) is { } prompt)
            {
                var content = probe.Contents.Sum(c => c switch
                {
                    FunctionCallContent call => CountTokens(call.Name) + CountTokens("{}"),
                    FunctionResultContent result => CountTokens((string)result.Result!),
                    TextContent text => CountTokens(text.Text),
                    _ => 0,
                });
                _overheads[KindOf(probe)] = Math.Max(0, CountTokens(prompt) - content) + Slack;
            }
        }

        _largestOverhead = _overheads.Count > 0 ? _overheads.Values.Max() : ContextWindowFitter.MessageOverheadTokens;
        ChatMessage[] question = [new(ChatRole.User, "x")];
        ReplyPrimingTokens = render(question, [], true) is { } primed && render(question, [], false) is { } bare
            ? Math.Max(0, CountTokens(primed) - CountTokens(bare)) + Slack
            : ContextWindowFitter.ReplyPrimingTokens;
    }

    public int ReplyPrimingTokens { get; }

    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var sequences = _tokenizer.Encode(text);
        return sequences[0].Length;
    }

    public int CountMessageOverhead(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _overheads.TryGetValue(KindOf(message), out var overhead) ? overhead : _largestOverhead;
    }

    public int CountToolsOverhead(IReadOnlyList<AITool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var declarations = tools.OfType<AIFunctionDeclaration>().ToList();
        ChatMessage[] question = [new(ChatRole.User, "x")];
        if (declarations.Count == 0 || _render(question, declarations, false) is not { } offered || _render(question, [], false) is not { } bare)
        {
            return 0;
        }

        return Math.Max(0, CountTokens(offered) - CountTokens(bare)) + Slack;
    }

    private static (ChatRole Role, bool Calls, bool Results) KindOf(ChatMessage message) =>
        (message.Role, message.Contents.OfType<FunctionCallContent>().Any(), message.Contents.OfType<FunctionResultContent>().Any());
}
