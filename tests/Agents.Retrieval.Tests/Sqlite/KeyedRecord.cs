using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>A minimal record whose key type is the type argument, to run the same checks for every key type.</summary>
public sealed class KeyedRecord<TKey>
    where TKey : notnull
{
    [VectorStoreKey]
    public TKey Key { get; set; } = default!;

    [VectorStoreData]
    public string Text { get; set; } = string.Empty;

    [VectorStoreVector(2)]
    public float[]? Vector { get; set; }
}
