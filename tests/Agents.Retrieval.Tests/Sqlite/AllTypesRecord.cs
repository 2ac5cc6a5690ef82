using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>One property of every data type the store supports, plain and nullable.</summary>
public sealed class AllTypesRecord
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData]
    public string? Text { get; set; }

    [VectorStoreData]
    public int Int { get; set; }

    [VectorStoreData]
    public long Long { get; set; }

    [VectorStoreData]
    public short Short { get; set; }

    [VectorStoreData]
    public bool Bool { get; set; }

    [VectorStoreData]
    public float Float { get; set; }

    [VectorStoreData]
    public double Double { get; set; }

    [VectorStoreData]
    public Guid Guid { get; set; }

    [VectorStoreData]
    public DateTime When { get; set; }

    [VectorStoreData]
    public DateTimeOffset WhenWithOffset { get; set; }

    [VectorStoreData]
    public byte[]? Bytes { get; set; }

    [VectorStoreData]
    public string[]? TagArray { get; set; }

    [VectorStoreData]
    public List<string>? TagList { get; set; }

    [VectorStoreData]
    public int? NullableInt { get; set; }

    [VectorStoreData]
    public long? NullableLong { get; set; }

    [VectorStoreData]
    public short? NullableShort { get; set; }

    [VectorStoreData]
    public bool? NullableBool { get; set; }

    [VectorStoreData]
    public float? NullableFloat { get; set; }

    [VectorStoreData]
    public double? NullableDouble { get; set; }

    [VectorStoreData]
    public Guid? NullableGuid { get; set; }

    [VectorStoreData]
    public DateTime? NullableWhen { get; set; }

    [VectorStoreData]
    public DateTimeOffset? NullableWhenWithOffset { get; set; }

    [VectorStoreVector(3)]
    public float[]? Vector { get; set; }
}
