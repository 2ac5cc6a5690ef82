using System.Text.Json;
using Agents.Grounding;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;

namespace Agents.Tools;

/// <summary>
/// Runs the tool calls a model asks for. Whatever goes wrong — an unknown name, arguments that are
/// not JSON or do not fit the schema, a tool that throws — becomes an error result the model can
/// read and react to; only cancellation escapes.
/// </summary>
internal sealed class ToolInvoker
{
    private static readonly Dictionary<string, object?> NoArguments = [];

    private readonly Dictionary<string, AgentTool> _tools;
    private readonly Kernel _kernel;

    public ToolInvoker(IEnumerable<KernelFunction> functions, Kernel? kernel)
    {
        _tools = new Dictionary<string, AgentTool>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            var tool = AgentTool.From(function);
            if (!_tools.TryAdd(tool.Name, tool))
            {
                throw new ArgumentException($"Two tools are named '{tool.Name}'; tool names must be unique.", nameof(functions));
            }
        }

        _kernel = kernel ?? new Kernel();
        Declarations = [.. _tools.Values.Select(t => (AITool)t.Declaration)];
        HasRetrievalTool = _tools.Values.Any(t => t.Function.Metadata.ReturnParameter.ParameterType == typeof(RetrievalResult));
    }

    /// <summary>Whether a tool returns <see cref="RetrievalResult"/>, so the model may be shown documents to cite.</summary>
    public bool HasRetrievalTool { get; }

    /// <summary>What the model is told it can call.</summary>
    public IList<AITool> Declarations { get; }

    /// <summary>The span name for a call: built once per known tool.</summary>
    public string SpanNameFor(string toolName) =>
        _tools.TryGetValue(toolName, out var tool) ? tool.SpanName : $"execute_tool {toolName}";

    /// <summary>The arguments of a call as a read-only map (null when the model sent none or sent broken JSON).</summary>
    public static IReadOnlyDictionary<string, object?>? ArgumentsOf(FunctionCallContent call) =>
        call.Arguments is null ? null : call.Arguments as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>(call.Arguments);

    /// <summary>Runs one call; <paramref name="arguments"/> are its <see cref="ArgumentsOf"/>.</summary>
    public async Task<ToolOutcome> InvokeAsync(FunctionCallContent call, IReadOnlyDictionary<string, object?>? arguments, CancellationToken cancellationToken)
    {
        if (!_tools.TryGetValue(call.Name, out var tool))
        {
            var known = _tools.Count == 0 ? "none" : string.Join(", ", _tools.Keys);
            return ToolOutcome.Failure($"There is no tool named '{call.Name}'. Available tools: {known}.");
        }

        if (call.Exception is not null)
        {
            return ToolOutcome.Failure($"The arguments for '{tool.Name}' were not valid JSON ({call.Exception.Message}). Send one JSON object matching the tool's schema.");
        }

        if (tool.FindArgumentProblems(arguments ?? NoArguments) is { } problems)
        {
            return ToolOutcome.Failure($"The arguments for '{tool.Name}' do not match its schema: {problems}.");
        }

        try
        {
            var result = await tool.Function.InvokeAsync(_kernel, new KernelArguments(call.Arguments ?? new Dictionary<string, object?>()), cancellationToken).ConfigureAwait(false);
            var value = result.GetValue<object>();
            return value is RetrievalResult retrieval
                ? new ToolOutcome(true, DocumentsBlock.Render(retrieval.Passages), retrieval)
                : ToolOutcome.Success(Describe(value));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The model sees the failure and may retry or answer without the tool; the run goes on.
            return ToolOutcome.Failure($"The tool '{tool.Name}' failed: {(ex is KernelException && ex.InnerException is { } inner ? inner.Message : ex.Message)}");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "",
        string text => text,
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(),
        _ => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions),
    };
}
