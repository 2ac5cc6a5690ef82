using Agents.Grounding;
using Agents.Memory;
using Agents.Models;
using Agents.Steps;
using Agents.Tools;
using Agents.Tracing;
using Microsoft.Extensions.AI;

namespace Agents;

/// <summary>The state of one run of an <see cref="Agent"/>: the turn so far, usage, and where steps go.</summary>
internal sealed class AgentRun
{
    // Shared and never written to: an answer has no calls.
    private static readonly List<FunctionCallContent> NoCalls = [];

    private readonly Agent _agent;
    private readonly AgentSession? _session;
    private readonly bool _streamModelOutput;
    private readonly Action<AgentStep> _emit;
    private readonly TimeProvider _time;
    private readonly AgentLimits _limits;
    private readonly List<ChatMessage> _turn = [];

    // Every passage the model was shown in this run, by id: only these can be cited.
    private readonly Dictionary<string, RetrievedPassage> _retrieved = new(StringComparer.Ordinal);
    private int _toolCalls;

    public AgentRun(Agent agent, AgentSession? session, bool streamModelOutput, Action<AgentStep> emit)
    {
        _agent = agent;
        _session = session;
        _streamModelOutput = streamModelOutput;
        _emit = emit;
        _time = agent.Options.TimeProvider;
        _limits = agent.Options.Limits;
    }

    public TokenUsage Usage { get; private set; } = TokenUsage.Zero;

    /// <summary>The answer step once the run has answered.</summary>
    public AnswerStep? Answer { get; private set; }

    /// <summary>The error step once the run has failed.</summary>
    public ErrorStep? Error { get; private set; }

    public async Task ExecuteAsync(string input, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var activity = AgentTelemetry.StartInvokeAgent(_agent.InvokeSpanName, _agent.Name);
        Emit(new RunStartStep(_agent.Name, input) { Timestamp = _time.GetUtcNow() });

        // One source serves both the wall-time limit and the caller's cancellation; which one fired is told apart below.
        using var deadline = new CancellationTokenSource(_limits.Timeout, _time);
        using var callerCancellation = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        string? error;
        try
        {
            await RetrieveBeforeAnsweringAsync(input, deadline.Token).ConfigureAwait(false);
            _turn.Add(new ChatMessage(ChatRole.User, input));
            error = await LoopAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            error = $"The run hit its time limit of {_limits.Timeout.TotalSeconds:0.#} s (limits.timeoutSeconds); raise the limit or give the agent a smaller task.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = DescribeFailure(ex);
        }

        if (error is not null)
        {
            AgentTelemetry.RecordError(activity, error);
            Error = new ErrorStep(error) { Timestamp = _time.GetUtcNow() };
            Emit(Error);
        }

        Emit(new RunEndStep(_time.GetElapsedTime(started), Usage) { Timestamp = _time.GetUtcNow() });
    }

    /// <summary>With <see cref="AgentOptions.Retrieval"/>, searches the input and puts the passages before it.</summary>
    private async Task RetrieveBeforeAnsweringAsync(string input, CancellationToken cancellationToken)
    {
        if (_agent.Options.Retrieval is not { } retrieval)
        {
            return;
        }

        var passages = await retrieval.Retriever.RetrieveAsync(input, retrieval.Top, cancellationToken).ConfigureAwait(false);
        Retrieved(new RetrievalResult(input, passages));
        _turn.Add(new ChatMessage(ChatRole.User, DocumentsBlock.Render(passages)));
    }

    private void Retrieved(RetrievalResult result)
    {
        foreach (var passage in result.Passages)
        {
            _retrieved.TryAdd(passage.Id, passage);
        }

        Emit(new RetrievalStep(result.Query, [.. result.Passages.Select(p => new RetrievalHit(p.Id, p.Source, p.Score))]) { Timestamp = _time.GetUtcNow() });
    }

    /// <summary>Model → tools → model … Returns null once answered, or the sentence that explains why it stopped.</summary>
    private async Task<string?> LoopAsync(CancellationToken cancellationToken)
    {
        for (var step = 1; ; step++)
        {
            var response = await CallModelAsync(cancellationToken).ConfigureAwait(false);
            _turn.AddRange(response.Messages);
            var calls = FunctionCallsIn(response);
            if (calls.Count == 0)
            {
                var text = response.Text;
                if (string.IsNullOrWhiteSpace(text))
                {
                    // An empty answer is never what the user asked for: usually a length or content-filter stop.
                    return $"The model returned neither an answer nor a tool call (finish reason: {response.FinishReason?.Value ?? "none"}); try again, or raise maxOutputTokens if it ran out of room.";
                }

                await AnswerAsync(text, cancellationToken).ConfigureAwait(false);
                return null;
            }

            if (step >= _limits.MaxSteps)
            {
                return $"The run stopped after {_limits.MaxSteps} model calls without an answer (limits.maxSteps); raise the limit or give the agent a simpler task.";
            }

            if (_limits.MaxTotalTokens is { } maxTokens && Usage.TotalTokens > maxTokens)
            {
                return $"The run used {Usage.TotalTokens} tokens, more than its budget of {maxTokens} (limits.maxTotalTokens), before it could answer.";
            }

            if (_toolCalls + calls.Count > _limits.MaxToolCalls)
            {
                return $"The model asked for more than {_limits.MaxToolCalls} tool calls in one run (limits.maxToolCalls); raise the limit or give the agent a simpler task.";
            }

            _toolCalls += calls.Count;
            _turn.Add(await RunToolsAsync(calls, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<ChatResponse> CallModelAsync(CancellationToken cancellationToken)
    {
        var messages = BuildMessages();
        using var activity = AgentTelemetry.StartChat(_agent.ChatSpanName, _agent.ModelId);
        var started = _time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = _streamModelOutput
                ? await StreamModelAsync(messages, cancellationToken).ConfigureAwait(false)
                : await _agent.ChatClient.GetResponseAsync(messages, _agent.RequestOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentTelemetry.RecordError(activity, ex.Message);
            throw;
        }

        var inputTokens = response.Usage?.InputTokenCount ?? 0;
        var outputTokens = response.Usage?.OutputTokenCount ?? 0;
        Usage = Usage.Add(inputTokens, outputTokens);
        var model = response.ModelId ?? _agent.ModelId ?? "unknown";
        AgentTelemetry.RecordUsage(activity, _agent.ModelId, model, inputTokens, outputTokens);
        Emit(new ModelCallStep(model, inputTokens, outputTokens, _time.GetElapsedTime(started)) { Timestamp = _time.GetUtcNow() });
        return response;
    }

    private async Task<ChatResponse> StreamModelAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _agent.ChatClient.GetStreamingResponseAsync(messages, _agent.RequestOptions, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            var text = update.Text;
            if (text.Length > 0)
            {
                Emit(new TextDeltaStep(text) { Timestamp = _time.GetUtcNow() });
            }
        }

        return updates.ToChatResponse();
    }

    private IReadOnlyList<ChatMessage> BuildMessages()
    {
        var history = _session?.History ?? [];
        var messages = new List<ChatMessage>(1 + history.Count + _turn.Count) { _agent.SystemMessage };
        messages.AddRange(history);
        messages.AddRange(_turn);
        return _agent.Fitter?.Fit(messages, _agent.MaxInputTokens) ?? messages;
    }

    private async Task<ChatMessage> RunToolsAsync(List<FunctionCallContent> calls, CancellationToken cancellationToken)
    {
        var arguments = new IReadOnlyDictionary<string, object?>?[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            arguments[i] = ToolInvoker.ArgumentsOf(calls[i]);
            Emit(new ToolCallStep(calls[i].Name, calls[i].CallId, arguments[i]) { Timestamp = _time.GetUtcNow() });
        }

        var executions = new Task<ToolExecution>[calls.Count];
        if (calls.Count == 1)
        {
            executions[0] = InvokeToolAsync(calls[0], arguments[0], cancellationToken);
            ReportResult(await executions[0].ConfigureAwait(false));
        }
        else
        {
            // Several calls in one turn run in parallel; each result is reported as soon as it is in.
            for (var i = 0; i < calls.Count; i++)
            {
                var (call, argument) = (calls[i], arguments[i]);
                executions[i] = Task.Run(() => InvokeToolAsync(call, argument, cancellationToken), cancellationToken);
            }

            await foreach (var finished in Task.WhenEach(executions).ConfigureAwait(false))
            {
                ReportResult(await finished.ConfigureAwait(false));
            }
        }

        var results = new List<AIContent>(calls.Count);
        foreach (var execution in executions)
        {
            var (call, outcome, _) = execution.Result;
            results.Add(new FunctionResultContent(call.CallId, UntrustedToolOutput.Wrap(call.Name, outcome)));
        }

        return new ChatMessage(ChatRole.Tool, results);
    }

    private void ReportResult(ToolExecution execution)
    {
        Emit(new ToolResultStep(execution.Call.Name, execution.Call.CallId, execution.Outcome.Ok, execution.Outcome.Text, execution.Elapsed) { Timestamp = _time.GetUtcNow() });
        if (execution.Outcome.Retrieval is { } retrieval)
        {
            Retrieved(retrieval);
        }
    }

    private async Task<ToolExecution> InvokeToolAsync(FunctionCallContent call, IReadOnlyDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        using var activity = AgentTelemetry.StartExecuteTool(_agent.Tools.SpanNameFor(call.Name), call.Name, call.CallId);
        var started = _time.GetTimestamp();
        var outcome = await _agent.Tools.InvokeAsync(call, arguments, cancellationToken).ConfigureAwait(false);
        if (!outcome.Ok)
        {
            AgentTelemetry.RecordError(activity, outcome.Text);
        }

        return new ToolExecution(call, outcome, _time.GetElapsedTime(started));
    }

    private async Task AnswerAsync(string text, CancellationToken cancellationToken)
    {
        // Stored before it is announced, so an answer the caller saw is never missing from the session.
        if (_session is not null)
        {
            await _session.AppendTurnAsync(_turn, cancellationToken).ConfigureAwait(false);
        }

        Answer = new AnswerStep(text, CitationFinder.Find(text, _retrieved)) { Timestamp = _time.GetUtcNow() };
        Emit(Answer);
    }

    /// <summary>One sentence for the error step: our own exceptions already say what failed and what to do.</summary>
    private static string DescribeFailure(Exception exception) => exception switch
    {
        ModelServerException or ContextWindowExceededException => exception.Message,
        IOException => $"The model server's reply broke off midway ({exception.Message}); try again.",
        _ => $"The run failed: {exception.Message}",
    };

    private static List<FunctionCallContent> FunctionCallsIn(ChatResponse response)
    {
        List<FunctionCallContent>? calls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    (calls ??= []).Add(call);
                }
            }
        }

        return calls ?? NoCalls;
    }

    private void Emit(AgentStep step) => _emit(step);

    private readonly record struct ToolExecution(FunctionCallContent Call, ToolOutcome Outcome, TimeSpan Elapsed);
}
