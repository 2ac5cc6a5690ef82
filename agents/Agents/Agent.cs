using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Agents.Memory;
using Agents.Prompts;
using Agents.Steps;
using Agents.Tools;
using Microsoft.Extensions.AI;

namespace Agents;

/// <summary>
/// An agent: a model, instructions and tools, run as a loop of model call → tool calls → results →
/// model … until the model answers or a limit is hit. Every transition is an <see cref="AgentStep"/>.
/// One instance serves any number of concurrent runs.
/// </summary>
public sealed class Agent
{
    private static readonly PromptTemplate SystemPrompt = PromptTemplate.Load("agent/system.md");
    private static readonly PromptTemplate GroundingPrompt = PromptTemplate.Load("agent/grounding.md");

    public Agent(IChatClient chatClient, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name, nameof(options));
        options.Limits.Validate();

        ChatClient = chatClient;
        Options = options;
        Tools = new ToolInvoker(options.Tools, options.Kernel);
        ModelId = options.ChatOptions?.ModelId ?? chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
        if (options.Retrieval is { Top: < 1 } retrieval)
        {
            throw new ArgumentException($"Retrieval.Top must be at least 1 (was {retrieval.Top}).", nameof(options));
        }

        var system = SystemPrompt.Render(KeyValuePair.Create("instructions", options.Instructions ?? "")).TrimStart();

        // The citation rules are sent only to agents that can see documents, so other agents' prompts stay short.
        if (options.Retrieval is not null || Tools.HasRetrievalTool)
        {
            system += "\n\n" + GroundingPrompt.Render();
        }

        SystemMessage = new ChatMessage(ChatRole.System, system);
        InvokeSpanName = $"invoke_agent {options.Name}";
        ChatSpanName = ModelId is null ? "chat" : $"chat {ModelId}";
        if (options.ContextWindow is { } window)
        {
            // A client that knows its model's tokenizer (a local model) counts for itself; tiktoken fits hosted models.
            Fitter = new ContextWindowFitter(options.TokenCounter ?? chatClient.GetService<ITokenCounter>() ?? TiktokenTokenCounter.ForModel(ModelId ?? ""));

            // The tool declarations go with every call, so their tokens are not the history's to use.
            var toolTokens = Fitter.CountTokens([.. Tools.Declarations]);
            MaxInputTokens = window - (options.ChatOptions?.MaxOutputTokens ?? 0) - toolTokens;
            if (MaxInputTokens <= 0)
            {
                throw new ArgumentException($"The context window of {window} tokens leaves no room for input after {options.ChatOptions?.MaxOutputTokens ?? 0} output tokens and {toolTokens} tokens of tool declarations.", nameof(options));
            }
        }

        RequestOptions = options.ChatOptions?.Clone() ?? new ChatOptions();
        if (Tools.Declarations.Count > 0)
        {
            RequestOptions.Tools = Tools.Declarations;
            RequestOptions.ToolMode = ChatToolMode.Auto;
        }
    }

    public string Name => Options.Name;

    internal IChatClient ChatClient { get; }

    internal AgentOptions Options { get; }

    internal ToolInvoker Tools { get; }

    internal string? ModelId { get; }

    internal ChatMessage SystemMessage { get; }

    // Span names are built once, not on every run.
    internal string InvokeSpanName { get; }

    internal string ChatSpanName { get; }

    /// <summary>Fits each call's messages to the context window; null when no window is set.</summary>
    internal ContextWindowFitter? Fitter { get; }

    /// <summary>The context window minus the room kept for the reply.</summary>
    internal int MaxInputTokens { get; }

    /// <summary>The options sent with every model call: the caller's, plus the tool declarations.</summary>
    internal ChatOptions RequestOptions { get; }

    /// <summary>
    /// Runs the agent and streams each step as it happens, including the answer's text as the model
    /// writes it (<see cref="TextDeltaStep"/>). Limits and failures end the stream with an
    /// <see cref="ErrorStep"/>; only cancellation by <paramref name="cancellationToken"/> throws.
    /// </summary>
    public async IAsyncEnumerable<AgentStep> RunStreamingAsync(
        string input,
        AgentSession? session = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channel = Channel.CreateUnbounded<AgentStep>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = RunIntoAsync(channel.Writer, input, session, stop.Token);
        try
        {
            await foreach (var step in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return step;
            }
        }
        finally
        {
            // A consumer that stops reading early ends the run too, rather than leaving it running unseen.
            await stop.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }
    }

    /// <summary>Runs the agent to the end and returns the answer (or error) with every step.</summary>
    public async Task<AgentRunResult> RunAsync(string input, AgentSession? session = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A one-tool round takes 7 steps: room for that without regrowing.
        var steps = new List<AgentStep>(capacity: 8);
        var run = new AgentRun(this, session, streamModelOutput: false, steps.Add);
        await run.ExecuteAsync(input, cancellationToken).ConfigureAwait(false);
        return new AgentRunResult(run.Answer?.Text, run.Answer?.Citations ?? [], steps, run.Usage, run.Error?.Message);
    }

    private async Task RunIntoAsync(ChannelWriter<AgentStep> writer, string input, AgentSession? session, CancellationToken cancellationToken)
    {
        try
        {
            var run = new AgentRun(this, session, streamModelOutput: true, step => writer.TryWrite(step));
            await run.ExecuteAsync(input, cancellationToken).ConfigureAwait(false);
            writer.Complete();
        }
        catch (Exception ex)
        {
            // Handed to the reader, which rethrows it to the consumer (cancellation is the only expected case).
            writer.Complete(ex);
        }
    }
}
