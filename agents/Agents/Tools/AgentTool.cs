using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Tools;

/// <summary>
/// A Semantic Kernel function as the model sees it: the name it calls, the declaration sent with
/// each request, and the compiled argument schema every call is checked against before it runs.
/// </summary>
internal sealed class AgentTool
{
    // Generated tool schemas carry keywords of their own beside the standard ones; those are annotations, not errors.
    private static readonly Dialect ToolSchemaDialect = Dialect.Draft202012.With([], null, true, null);

    private AgentTool(string name, KernelFunction function, AIFunctionDeclaration declaration, JsonSchema schema)
    {
        Name = name;
        Function = function;
        Declaration = declaration;
        Schema = schema;
    }

    public string Name { get; }

    public KernelFunction Function { get; }

    public AIFunctionDeclaration Declaration { get; }

    public JsonSchema Schema { get; }

    public static AgentTool From(KernelFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);

        // OpenAI-style tool names allow [a-zA-Z0-9_-]; '_' joins plugin and function as SK's own '-' would be ambiguous with names that contain it.
        var name = string.IsNullOrEmpty(function.PluginName) ? function.Name : $"{function.PluginName}_{function.Name}";
        var declaration = AIFunctionFactory.CreateDeclaration(name, function.Description, function.JsonSchema);

        // Each schema gets its own registry: the global one would reject the same tool registered by a second agent.
        var schema = JsonSchema.Build(function.JsonSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = ToolSchemaDialect }, new Uri($"urn:agents:tool:{name}"));
        return new AgentTool(name, function, declaration, schema);
    }

    /// <summary>Validates arguments against the schema; returns the problems in one line, or null when valid.</summary>
    public string? FindArgumentProblems(JsonElement arguments)
    {
        var results = Schema.Evaluate(arguments, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return null;
        }

        var problems = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct()
            .Take(5);
        return string.Join("; ", problems);
    }
}
