using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>Validates record types against what <see cref="SqliteVectorStoreCollection{TKey, TRecord}"/> can store.</summary>
internal sealed class SqliteModelBuilder() : CollectionModelBuilder(BuildingOptions)
{
    internal const string SupportedVectorTypes = "ReadOnlyMemory<float>, float[], Embedding<float>";

    private const string SupportedDataTypes =
        "string, int, long, short, bool, float, double, Guid, DateTime, DateTimeOffset, byte[], and string[] / List<string> (tags)";

    private static readonly CollectionModelBuildingOptions BuildingOptions = new()
    {
        RequiresAtLeastOneVector = false,
        SupportsMultipleVectors = true,
    };

    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedDataTypes;
        return SqliteValueConverter.IsScalar(type) || SqliteValueConverter.IsStringList(type);
    }

    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return IsNativeVectorType(type);
    }

    internal static bool IsNativeVectorType(Type type) =>
        type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?)
        || type == typeof(float[]) || type == typeof(Embedding<float>);
}
