using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agents.Steps;

namespace Agents.Tracing;

/// <summary>
/// The JSON shape of <see cref="AgentStep"/>s, shared by the JSONL trace and machine-readable console
/// output so both read the same: web defaults (camelCase), a <c>type</c> discriminator per step.
/// </summary>
public static class StepJson
{
    private static readonly Dictionary<Type, string> s_typeNames = BuildTypeNames();

    /// <summary>Read-only options; cached because building serializer metadata is the expensive part of serializing.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The trace <c>type</c> of a step, or null for steps the trace leaves out (<see cref="TextDeltaStep"/>).</summary>
    public static string? TypeOf(AgentStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return s_typeNames.GetValueOrDefault(step.GetType());
    }

    /// <summary>Whether <paramref name="type"/> names a step this version can read back.</summary>
    public static bool IsKnownType(string type) => s_typeNames.ContainsValue(type);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Traces are files and console output, never HTML: keep quotes and non-ASCII text readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // Derived values (TokenUsage.TotalTokens) are not part of the contract.
            IgnoreReadOnlyProperties = true,
            // Trace lines start with "seq", so the "type" discriminator is not the first property.
            AllowOutOfOrderMetadataProperties = true,
            // A recorded step missing one of its fields is a broken line, not a step with a null in it.
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    private static Dictionary<Type, string> BuildTypeNames()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        var info = resolver.GetTypeInfo(typeof(AgentStep), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return info.PolymorphismOptions!.DerivedTypes.ToDictionary(d => d.DerivedType, d => (string)d.TypeDiscriminator!);
    }
}
