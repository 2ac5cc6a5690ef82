using System.Diagnostics;
using Agents.Models;
using Agents.Steps;
using Agents.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Benchmarks.Rounds;

/// <summary>
/// Our loop: <see cref="Agent.RunAsync"/> over <see cref="HostedChatClient"/>, with its steps, and
/// tracing on — a listener records every span of the <c>Agents</c> source, as an exporter would.
/// </summary>
internal sealed class AgentToolRound : ToolRound
{
    // invoke_agent, chat (tool call), execute_tool, chat (answer).
    private const int SpansPerRound = 4;

    private readonly Agent _agent;
    private readonly IChatClient _client;
    private readonly ActivityListener _listener;
    private readonly JsonlTraceWriter? _trace;
    private int _spans;

    /// <param name="jsonlTrace">Also write every step as a JSONL trace line (to <see cref="Stream.Null"/>), as <c>agents run --trace</c> does.</param>
    public AgentToolRound(bool jsonlTrace = false)
        : base("add")
    {
        _trace = jsonlTrace ? new JsonlTraceWriter(Stream.Null) : null;
        // Through our own hosted client, retry layer included, as a real agent calls its model.
        _client = HostedChatClient.Create(new HostedModelOptions
        {
            ModelId = ToolRoundScript.ModelId,
            Endpoint = ToolRoundScript.Endpoint,
            ApiKey = ToolRoundScript.ApiKey,
            Transport = Handler,
        });
        var options = new AgentOptions { Name = "calculator", Instructions = ToolRoundScript.Instructions };
        options.Tools.Add(KernelFunctionFactory.CreateFromMethod(ToolRoundScript.Add, "add"));
        _agent = new Agent(_client, options);

        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentTelemetry.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => _spans++,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public override string Name => _trace is null ? "Agents" : "Agents + JSONL trace";

    public override async Task<string?> RunAsync(CancellationToken cancellationToken = default)
    {
        var result = await _agent.RunAsync(ToolRoundScript.Question, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_trace is not null)
        {
            foreach (var step in result.Steps)
            {
                await _trace.WriteAsync(step, cancellationToken).ConfigureAwait(false);
            }
        }

        return result.Error is null ? result.Answer : throw new InvalidOperationException($"{Name}: the run failed: {result.Error}");
    }

    public override async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var spans = _spans;
        await base.VerifyAsync(cancellationToken).ConfigureAwait(false);
        if (_spans - spans != SpansPerRound)
        {
            throw new InvalidOperationException($"{Name}: the round recorded {_spans - spans} spans, expected {SpansPerRound}; tracing is not on.");
        }

        var result = await _agent.RunAsync(ToolRoundScript.Question, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Steps.OfType<ToolResultStep>().Any(step => step.Ok && step.Result == ToolRoundScript.ToolResult))
        {
            throw new InvalidOperationException($"{Name}: the steps do not show the tool returning {ToolRoundScript.ToolResult}.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _listener.Dispose();
            _client.Dispose();
            _trace?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
