using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Tools;

/// <summary>
/// A Semantic Kernel function as the model sees it: the name it calls, the declaration sent with
/// each request, and the argument schema every call is checked against before it runs.
/// </summary>
internal sealed class AgentTool
{
    // Generated tool schemas carry keywords of their own beside the standard ones; those are annotations, not errors.
    private static readonly Dialect ToolSchemaDialect = Dialect.Draft202012.With([], null, true, null);

    // The cheap yes/no check runs on every call; the detailed one only to explain a failure.
    private static readonly EvaluationOptions QuickCheck = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions DetailedCheck = new() { OutputFormat = OutputFormat.List };

    // Exactly one is set: our allocation-free validator where the schema allows, JsonSchema.Net for the rest.
    private readonly ToolArgumentSchema? _compiledSchema;
    private readonly JsonSchema? _generalSchema;

    private AgentTool(string name, KernelFunction function, AIFunctionDeclaration declaration, ToolArgumentSchema? compiledSchema, JsonSchema? generalSchema)
    {
        Name = name;
        SpanName = $"execute_tool {name}";
        Function = function;
        Declaration = declaration;
        _compiledSchema = compiledSchema;
        _generalSchema = generalSchema;
    }

    public string Name { get; }

    public string SpanName { get; }

    public KernelFunction Function { get; }

    public AIFunctionDeclaration Declaration { get; }

    public static AgentTool From(KernelFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);

        // OpenAI-style tool names allow [a-zA-Z0-9_-]; '_' joins plugin and function as SK's own '-' would be ambiguous with names that contain it.
        var name = string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}_{function.Name}";
        var declaration = AIFunctionFactory.CreateDeclaration(name, function.Description, function.JsonSchema);
        var compiled = ToolArgumentSchema.TryCompile(function.JsonSchema);

        // Each schema gets its own registry: the global one would reject the same tool registered by a second agent.
        var general = compiled is null
            ? JsonSchema.Build(function.JsonSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = ToolSchemaDialect }, new Uri($"urn:agents:tool:{name}"))
            : null;
        return new AgentTool(name, function, declaration, compiled, general);
    }

    /// <summary>Validates arguments against the schema; returns the problems in one line, or null when valid.</summary>
    public string? FindArgumentProblems(IReadOnlyDictionary<string, object?> arguments)
    {
        IEnumerable<string> problems;
        if (_compiledSchema is not null)
        {
            if (_compiledSchema.ValidateArguments(arguments))
            {
                return null;
            }

            var found = new List<string>();
            _compiledSchema.ValidateArguments(arguments, found);
            problems = found;
        }
        else
        {
            var json = JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions);
            if (_generalSchema!.Evaluate(json, QuickCheck).IsValid)
            {
                return null;
            }

            problems = (_generalSchema.Evaluate(json, DetailedCheck).Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"));
        }

        return string.Join("; ", problems.Distinct().Take(5));
    }
}
