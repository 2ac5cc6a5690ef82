using System.Runtime.CompilerServices;
using Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Chat;

/// <summary>
/// A local model folder for ONNX Runtime GenAI (Phi, Llama, Qwen, Mistral …) as an <see cref="IChatClient"/>,
/// with what GenAI's own chat client lacks: tool calling (rendered in the model family's format, parsed into
/// <see cref="FunctionCallContent"/>, constrained to the offered tools' schemas) and a key-value cache kept
/// across turns, so a turn feeds the model only the tokens that are new since the last one.
/// </summary>
/// <remarks>
/// Requests are serialised per model: one generation at a time, as GenAI already spreads each step over every
/// core. Clients of the same folder share one loaded copy (see <see cref="OnnxModelCache"/>); each client keeps
/// its own conversation cache. Disposing the client releases the model when no other client holds it.
/// </remarks>
public sealed class OnnxChatClient : IChatClient
{
    private readonly OnnxModelCache.Lease _lease;
    private readonly OnnxChatClientOptions _options;
    private readonly ToolCallFormat _format;
    private readonly string? _template;
    private readonly Dictionary<int, string> _markupTokens = [];
    private readonly Dictionary<string, int> _markupIds = [];
    private readonly ChatClientMetadata _metadata;
    private readonly OnnxTokenCounter _tokenCounter;
    private readonly ILogger _logger;
    private KeptGenerator? _kept;
    private int _callCounter;
    private bool _disposed;

    public OnnxChatClient(string modelFolder, OnnxChatClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        _options = options ?? new OnnxChatClientOptions();
        _logger = _options.LoggerFactory?.CreateLogger<OnnxChatClient>() ?? (ILogger)NullLogger.Instance;
        OnnxTelemetry.ApplyToGenAI(_options.EnableTelemetry);
        _lease = OnnxModelCache.Shared.Acquire(modelFolder, _options.Device, _logger);
        _template = _options.ChatTemplate ?? Model.ChatTemplate;
        _format = _options.ToolCallFormat ?? ToolCallFormat.Detect(_template);
        foreach (var marker in new[] { _format.OpenMarker, _format.CloseMarker })
        {
            if (marker is not null && SingleTokenId(marker) is { } id)
            {
                _markupTokens[id] = marker;
                _markupIds[marker] = id;
            }
        }

        _metadata = new ChatClientMetadata("onnx", new Uri(Model.Folder + Path.DirectorySeparatorChar), Path.GetFileName(Model.Folder));
        _tokenCounter = new OnnxTokenCounter(Model.Tokenizer, (messages, tools, replyStart) => _template is null ? null : TryRender(messages, tools, replyStart));
    }

    /// <summary>The model's context window in tokens, from its genai_config.json.</summary>
    public int ContextWindow => Model.ContextLength;

    /// <summary>Where the model runs (<see cref="OnnxDevice.Auto"/> resolved).</summary>
    public OnnxDevice Device => Model.Device;

    /// <summary>The tool-call markup this client renders and parses.</summary>
    public ToolCallFormat ToolCallFormat => _format;

    /// <summary>How many prompt tokens the last reply took from the kept cache instead of computing them (0 for a cold start).</summary>
    internal int LastReusedTokenCount => _kept?.ReusedTokens ?? 0;

    private LoadedOnnxModel Model => _lease.Model;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tools = options?.ToolMode is NoneChatToolMode ? [] : OfferedTools(options);
        var prompt = RenderPrompt(messages, tools);
        var grammar = tools.Count > 0 && _options.ConstrainToolCalls
            ? ToolCallGrammar.Build(_format, RequiredTools(tools, options?.ToolMode), options?.ToolMode is RequiredChatToolMode, MarkupTokenId)
            : null;
        var settings = GenerationSettings.From(options, grammar);
        var responseId = Guid.NewGuid().ToString("N");

        await Model.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var promptIds = Encode(prompt);
            var budget = Model.ContextLength - promptIds.Length;
            if (budget <= 0)
            {
                throw new OnnxModelException(
                    $"The prompt is {promptIds.Length:N0} tokens but the model's context window is {Model.ContextLength:N0}; trim the history (set the agent's context window) or start a new conversation.");
            }

            var maxOutput = Math.Min(budget, options?.MaxOutputTokens ?? budget);
            var kept = Prepare(promptIds, settings);
            var scanner = new ReplyScanner(options?.StopSequences?.ToArray() ?? [], tools.Count > 0 ? _format.OpenMarker : null);
            using var decoder = Model.Tokenizer.CreateStream();
            var produced = new List<int>();
            var finish = ChatFinishReason.Stop;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (produced.Count == maxOutput)
                {
                    finish = ChatFinishReason.Length;
                    break;
                }

                var token = NextToken(kept.Generator);
                if (token is null)
                {
                    break;
                }

                produced.Add(token.Value);
                var text = scanner.Append(_markupTokens.TryGetValue(token.Value, out var markup) ? markup : decoder.Decode(token.Value));
                if (text.Length > 0)
                {
                    yield return Update(responseId, new TextContent(text));
                }

                if (scanner.Stopped)
                {
                    break;
                }
            }

            var rest = scanner.Flush();
            if (rest.Length > 0)
            {
                yield return Update(responseId, new TextContent(rest));
            }

            if (scanner.InToolCall)
            {
                var parsed = ToolCallParser.Parse(_format, scanner.ToolCallText, NewCallId);
                if (parsed is { } calls)
                {
                    // A call the token limit cut off is dropped; the finish reason still says the reply was cut.
                    finish = calls.Complete ? ChatFinishReason.ToolCalls : ChatFinishReason.Length;
                }

                yield return Update(responseId, parsed is { } found ? [.. found.Calls] : [new TextContent(scanner.ToolCallText)]);
            }

            var usage = new UsageContent(new UsageDetails { InputTokenCount = promptIds.Length, OutputTokenCount = produced.Count, TotalTokenCount = promptIds.Length + produced.Count });
            var last = Update(responseId, usage);
            last.FinishReason = finish;
            // The reply's token ids, for callers that compare runs token by token.
            last.RawRepresentation = produced.ToArray();
            yield return last;
        }
        finally
        {
            Model.Gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ITokenCounter) ? _tokenCounter
            : serviceType == typeof(Model) ? Model.Model
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Model.Gate.Wait();
        try
        {
            _kept?.Generator.Dispose();
            _kept = null;
        }
        finally
        {
            Model.Gate.Release();
        }

        _lease.Dispose();
    }

    private static List<AIFunctionDeclaration> OfferedTools(ChatOptions? options) =>
        options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];

    private static List<AIFunctionDeclaration> RequiredTools(List<AIFunctionDeclaration> tools, ChatToolMode? mode)
    {
        if (mode is RequiredChatToolMode { RequiredFunctionName: { } name })
        {
            return tools.Where(t => t.Name == name).ToList() is { Count: > 0 } named
                ? named
                : throw new ArgumentException($"The required tool '{name}' is not among the offered tools.", nameof(mode));
        }

        return tools;
    }

    private static ChatResponseUpdate Update(string responseId, params IList<AIContent> contents) =>
        new(ChatRole.Assistant, contents) { ResponseId = responseId, MessageId = responseId };

    private string RenderPrompt(IEnumerable<ChatMessage> messages, List<AIFunctionDeclaration> tools, bool replyStart = true)
    {
        var template = _template ?? throw new OnnxModelException(
            $"The model folder {Model.Folder} has no chat template (tokenizer_config.json \"chat_template\" or chat_template.jinja); set OnnxChatClientOptions.ChatTemplate.");
        try
        {
            return ChatPrompt.Render(
                (text, turns, toolList) => Model.Tokenizer.ApplyChatTemplate(text, turns, toolList, replyStart),
                template,
                _format,
                messages,
                tools);
        }
        catch (OnnxRuntimeGenAIException ex)
        {
            throw new OnnxModelException($"The chat template of {Model.Folder} could not render this conversation: {ex.Message}", ex);
        }
    }

    /// <summary>The prompt for <paramref name="messages"/>, or null when the template refuses them (some insist on a user turn first).</summary>
    private string? TryRender(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools, bool replyStart)
    {
        try
        {
            return RenderPrompt(messages, [.. tools], replyStart);
        }
        catch (OnnxModelException)
        {
            return null;
        }
    }

    private int? MarkupTokenId(string marker) => _markupIds.TryGetValue(marker, out var id) ? id : null;

    private int[] Encode(string text)
    {
        using var sequences = Model.Tokenizer.Encode(text);
        return sequences[0].ToArray();
    }

    private int? SingleTokenId(string marker)
    {
        var ids = Encode(marker);
        return ids.Length == 1 ? ids[0] : null;
    }

    /// <summary>
    /// The generator for this prompt: the kept one rewound to the longest prefix it shares with the prompt and fed
    /// the rest, when its settings match; otherwise a new one fed the whole prompt.
    /// </summary>
    private KeptGenerator Prepare(int[] promptIds, GenerationSettings settings)
    {
        if (_options.ReuseKeyValueCache && _kept is { } kept && kept.Settings == settings && settings.AllowsReuse)
        {
            // At least one prompt token is fed again, so the model has logits to start the reply from.
            // What the cache holds is read back from the generator, so a reply cut short by cancellation is accounted for.
            var cached = kept.Generator.GetSequence(0);
            var common = Math.Min(cached.CommonPrefixLength(promptIds), promptIds.Length - 1);

            // The last token a reply wrote is in the sequence but not yet in the cache, and GenAI refuses to rewind to
            // exactly the cache's length: keep one token less, and feed it again.
            if (common == cached.Length - 1)
            {
                common--;
            }
            if (common > 0)
            {
                if (common < cached.Length)
                {
                    kept.Generator.RewindTo((ulong)common);
                }

                kept.Generator.AppendTokens(promptIds.AsSpan(common));
                kept.ReusedTokens = common;
                return kept;
            }
        }

        _kept?.Generator.Dispose();
        _kept = null;
        var generator = NewGenerator(settings, promptIds);
        _kept = new KeptGenerator(generator, settings);
        return _kept;
    }

    private Generator NewGenerator(GenerationSettings settings, int[] promptIds)
    {
        Generator? generator = null;
        try
        {
            using var parameters = settings.CreateParams(Model.Model, Model.ContextLength);
            generator = new Generator(Model.Model, parameters);
            generator.AppendTokens(promptIds);
            return generator;
        }
        catch (OnnxRuntimeGenAIException ex)
        {
            generator?.Dispose();
            throw new OnnxModelException($"ONNX Runtime GenAI refused the request: {ex.Message}", ex);
        }
    }

    /// <summary>The next token, or null when the reply ended on an end token.</summary>
    private int? NextToken(Generator generator)
    {
        if (generator.IsDone())
        {
            return null;
        }

        var before = generator.TokenCount();
        generator.GenerateNextToken();

        // GenAI marks the generator done on an end token without adding it to the sequence: the last token
        // is then the previous one again, so the sequence must have grown for a token to be new.
        if (generator.TokenCount() == before)
        {
            return null;
        }

        var token = generator.GetNextTokens()[0];
        return Array.IndexOf(Model.EndTokenIds, token) >= 0 ? null : token;
    }

    private string NewCallId() => $"call_{Interlocked.Increment(ref _callCounter)}_{Guid.NewGuid():N}"[..24];

    private sealed class KeptGenerator(Generator generator, GenerationSettings settings)
    {
        public Generator Generator { get; } = generator;

        public GenerationSettings Settings { get; } = settings;

        public int ReusedTokens { get; set; }
    }
}
