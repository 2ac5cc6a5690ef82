using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>
/// Trims a conversation to a model's input budget: keeps every system message, the newest user message
/// and as many of the newest other messages as fit, dropping the oldest first.
/// </summary>
/// <remarks>
/// Token estimate, after OpenAI's published recipe for chat prompts:
/// <c>prompt = <see cref="ReplyPrimingTokens"/> + Σ message</c>, where
/// <c>message = <see cref="MessageOverheadTokens"/> + tokens(author name) + Σ tokens(text)
/// + Σ (tokens(function name) + tokens(arguments as JSON)) + Σ tokens(function result)</c>.
/// A string result is counted as is, any other result as its JSON. Other content (images, reasoning, usage)
/// adds nothing beyond the overhead.
/// An assistant message that calls functions and the messages carrying those calls' results form one unit,
/// kept or dropped together, so a result is never sent without its call nor a call without its results.
/// A message carrying a result whose call is not in the list at all is always dropped: providers reject it.
/// </remarks>
public sealed class ContextWindowFitter
{
    /// <summary>Tokens each message costs besides its content: role and message delimiters.</summary>
    public const int MessageOverheadTokens = 4;

    /// <summary>Tokens every prompt costs once, for the delimiters that start the model's reply.</summary>
    public const int ReplyPrimingTokens = 3;

    // Chat clients send arguments and results as compact JSON; AIJsonUtilities.DefaultOptions would indent them.
    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly ITokenCounter _tokenCounter;
    private readonly IChatFormatTokenCounter? _format;
    private readonly int _replyPriming;

    /// <param name="tokenCounter">Counts text; an <see cref="IChatFormatTokenCounter"/> also replaces the two overheads above with its model's.</param>
    public ContextWindowFitter(ITokenCounter tokenCounter)
    {
        ArgumentNullException.ThrowIfNull(tokenCounter);
        _tokenCounter = tokenCounter;
        _format = tokenCounter as IChatFormatTokenCounter;
        _replyPriming = _format?.ReplyPrimingTokens ?? ReplyPrimingTokens;
    }

    /// <summary>Estimated tokens one message costs in a prompt (see the remarks on <see cref="ContextWindowFitter"/>).</summary>
    public int CountTokens(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var tokens = _format?.CountMessageOverhead(message) ?? MessageOverheadTokens;
        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            tokens += _tokenCounter.CountTokens(message.AuthorName);
        }

        foreach (var content in message.Contents)
        {
            tokens += content switch
            {
                TextContent text => CountText(text.Text),
                FunctionCallContent call => CountText(call.Name) + CountText(ArgumentsJson(call)),
                FunctionResultContent result => CountText(ResultText(result)),
                _ => 0,
            };
        }

        return tokens;
    }

    /// <summary>
    /// Estimated tokens the declarations of <paramref name="tools"/> add to each prompt: the chat format's own count where
    /// the counter knows it, else the declarations' JSON (name, description, parameter schema), which is what a hosted
    /// model is sent and bills for.
    /// </summary>
    public int CountTokens(IReadOnlyList<AITool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.Count == 0)
        {
            return 0;
        }

        return _format?.CountToolsOverhead(tools)
            ?? tools.OfType<AIFunctionDeclaration>().Sum(t => CountText(t.Name) + CountText(t.Description) + CountText(t.JsonSchema.GetRawText()));
    }

    /// <summary>Estimated tokens of a whole prompt made of <paramref name="messages"/>, reply priming included.</summary>
    public int CountTokens(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _replyPriming + messages.Sum(CountTokens);
    }

    /// <summary>
    /// The messages to send so that their estimated prompt size is at most <paramref name="maxInputTokens"/>,
    /// in their original order.
    /// </summary>
    /// <exception cref="ContextWindowExceededException">The system messages and the newest user message alone exceed the budget.</exception>
    public IReadOnlyList<ChatMessage> Fit(IReadOnlyList<ChatMessage> messages, int maxInputTokens)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInputTokens);

        var units = GroupIntoUnits(messages);
        var keep = new bool[messages.Count];
        var used = _replyPriming;

        var newestUser = LastIndexOfUser(messages);
        var mandatoryUnit = newestUser >= 0 ? units.UnitOf[newestUser] : -1;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.System || (mandatoryUnit >= 0 && units.UnitOf[i] == mandatoryUnit))
            {
                keep[i] = true;
                used += units.Tokens[i];
            }
        }

        if (used > maxInputTokens)
        {
            throw new ContextWindowExceededException(used, maxInputTokens);
        }

        // Newest unit first; stop at the first that does not fit, so what is kept is an unbroken run of recent history.
        for (var unit = units.Members.Count - 1; unit >= 0; unit--)
        {
            if (unit == mandatoryUnit)
            {
                continue;
            }

            var members = units.Members[unit];
            var cost = 0;
            foreach (var index in members)
            {
                cost += units.Tokens[index];
            }

            if (used + cost > maxInputTokens)
            {
                break;
            }

            used += cost;
            foreach (var index in members)
            {
                keep[index] = true;
            }
        }

        var result = new List<ChatMessage>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (keep[i])
            {
                result.Add(messages[i]);
            }
        }

        return result;
    }

    private Units GroupIntoUnits(IReadOnlyList<ChatMessage> messages)
    {
        var unitOf = new int[messages.Count];
        var tokens = new int[messages.Count];
        var members = new List<List<int>>();
        var unitOfCall = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            tokens[i] = CountTokens(message);
            unitOf[i] = -1;
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            var unit = -1;
            var orphan = false;
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    if (unitOfCall.TryGetValue(result.CallId, out var callUnit))
                    {
                        unit = unit < 0 ? callUnit : Merge(members, unitOf, unitOfCall, into: Math.Min(unit, callUnit), from: Math.Max(unit, callUnit));
                    }
                    else
                    {
                        orphan = true;
                    }
                }
            }

            if (orphan)
            {
                // A result of a call that is not in the list: providers reject the message, so it is never sent.
                continue;
            }

            if (unit < 0)
            {
                unit = members.Count;
                members.Add([]);
            }

            members[unit].Add(i);
            unitOf[i] = unit;
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    unitOfCall[call.CallId] = unit;
                }
            }
        }

        return new Units(unitOf, tokens, members);
    }

    // Results answering calls from two units bind both; the older unit absorbs the newer one, which is left empty.
    private static int Merge(List<List<int>> members, int[] unitOf, Dictionary<string, int> unitOfCall, int into, int from)
    {
        if (into == from)
        {
            return into;
        }

        foreach (var index in members[from])
        {
            unitOf[index] = into;
        }

        members[into].AddRange(members[from]);
        members[into].Sort();
        members[from].Clear();
        foreach (var (callId, unit) in unitOfCall.ToList())
        {
            if (unit == from)
            {
                unitOfCall[callId] = into;
            }
        }

        return into;
    }

    private static int LastIndexOfUser(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User)
            {
                return i;
            }
        }

        return -1;
    }

    private int CountText(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenCounter.CountTokens(text);

    private static string? ArgumentsJson(FunctionCallContent call) =>
        call.Arguments is null ? null : JsonSerializer.Serialize(call.Arguments, CompactJson.GetTypeInfo(typeof(IDictionary<string, object?>)));

    private static string? ResultText(FunctionResultContent result) => result.Result switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        var other => JsonSerializer.Serialize(other, CompactJson.GetTypeInfo(other.GetType())),
    };

    private sealed record Units(int[] UnitOf, int[] Tokens, List<List<int>> Members);
}
