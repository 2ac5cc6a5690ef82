using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// Converts record property values to SQLite values and back. Dates are stored as round-trip ISO 8601 text
/// (DateTimeOffset normalised to UTC) so that text comparison in filters orders them in time; tag lists are JSON
/// arrays so that <c>Contains</c> filters can use <c>json_each</c>.
/// </summary>
internal static class SqliteValueConverter
{
    private static readonly Type[] ScalarTypes =
    [
        typeof(string), typeof(int), typeof(long), typeof(short), typeof(bool), typeof(float), typeof(double),
        typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(byte[]),
    ];

    public static bool IsScalar(Type type) => Array.IndexOf(ScalarTypes, Nullable.GetUnderlyingType(type) ?? type) >= 0;

    public static bool IsStringList(Type type) =>
        type == typeof(string[]) || type == typeof(List<string>) || type == typeof(IList<string>)
        || type == typeof(IReadOnlyList<string>) || type == typeof(IEnumerable<string>);

    public static string ColumnType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short) || underlying == typeof(bool))
        {
            return "INTEGER";
        }

        if (underlying == typeof(float) || underlying == typeof(double))
        {
            return "REAL";
        }

        return underlying == typeof(byte[]) ? "BLOB" : "TEXT";
    }

    public static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        string or byte[] => value,
        IEnumerable<string> tags => JsonSerializer.Serialize(tags.ToArray(), RetrievalJsonContext.Default.StringArray),
        _ => value,
    };

    public static object? FromDatabase(SqliteDataReader reader, int ordinal, Type type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsStringList(underlying))
        {
            var tags = JsonSerializer.Deserialize(reader.GetString(ordinal), RetrievalJsonContext.Default.StringArray) ?? [];
            return underlying == typeof(string[]) ? tags : tags.ToList();
        }

        return underlying switch
        {
            _ when underlying == typeof(string) => reader.GetString(ordinal),
            _ when underlying == typeof(int) => reader.GetInt32(ordinal),
            _ when underlying == typeof(long) => reader.GetInt64(ordinal),
            _ when underlying == typeof(short) => reader.GetInt16(ordinal),
            _ when underlying == typeof(bool) => reader.GetInt64(ordinal) != 0,
            _ when underlying == typeof(float) => reader.GetFloat(ordinal),
            _ when underlying == typeof(double) => reader.GetDouble(ordinal),
            _ when underlying == typeof(Guid) => Guid.Parse(reader.GetString(ordinal)),
            _ when underlying == typeof(DateTime) => DateTime.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ when underlying == typeof(DateTimeOffset) => DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            _ when underlying == typeof(byte[]) => (byte[])reader.GetValue(ordinal),
            _ => throw new NotSupportedException($"Values of type {type.Name} cannot be read back from SQLite."),
        };
    }

    // The null arm is typed: a bare null would convert through float[] to an empty ReadOnlyMemory, not to "no vector".
    public static ReadOnlyMemory<float>? VectorOf(object? value) => value switch
    {
        null => (ReadOnlyMemory<float>?)null,
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        _ => throw new NotSupportedException($"A vector of type {value.GetType().Name} cannot be stored; use {SqliteModelBuilder.SupportedVectorTypes}."),
    };

    public static float[] FromBlob(ReadOnlySpan<byte> blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    /// <summary>Shapes a stored vector as the property's own type.</summary>
    public static object AsPropertyValue(float[] vector, Type type)
    {
        if (type == typeof(float[]))
        {
            return vector;
        }

        return type == typeof(Embedding<float>) ? new Embedding<float>(vector) : (object)new ReadOnlyMemory<float>(vector);
    }
}
