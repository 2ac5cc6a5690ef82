using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>Moves records between their .NET shape and the columns <see cref="SqliteSchema"/> lays out.</summary>
internal sealed class SqliteRecordMapper<TRecord>(SqliteSchema schema)
    where TRecord : class
{
    private readonly CollectionModel _model = schema.Model;

    private readonly string _recordUpsertSql = BuildRecordUpsertSql(schema);
    private readonly string? _vectorUpsertSql = BuildVectorUpsertSql(schema);

    /// <summary>Reads one row selected with <see cref="SqliteSchema.SelectColumns"/>.</summary>
    public (long RowId, TRecord Record) Read(SqliteDataReader reader, bool includeVectors)
    {
        var record = _model.CreateRecord<TRecord>();
        var ordinal = 0;
        var rowId = reader.GetInt64(ordinal++);
        _model.KeyProperty.SetValueAsObject(record, SqliteValueConverter.FromDatabase(reader, ordinal++, _model.KeyProperty.Type));
        foreach (var property in _model.DataProperties)
        {
            property.SetValueAsObject(record, SqliteValueConverter.FromDatabase(reader, ordinal++, property.Type));
        }

        if (includeVectors)
        {
            foreach (var property in _model.VectorProperties)
            {
                var value = reader.IsDBNull(ordinal) ? null : SqliteValueConverter.AsPropertyValue(SqliteValueConverter.FromBlob((byte[])reader.GetValue(ordinal)), property.Type);
                property.SetValueAsObject(record, value);
                ordinal++;
            }
        }

        return (rowId, record);
    }

    /// <summary>
    /// Writes <paramref name="record"/> with the statements <see cref="PrepareUpsert"/> made: the record, then its vectors
    /// under the row id the record's upsert returned (kept when an existing record is updated).
    /// </summary>
    /// <param name="generated">Embeddings made for vector properties whose values are not vectors (e.g. text).</param>
    public void Write(SqliteStatement records, SqliteStatement? vectors, TRecord record, IReadOnlyDictionary<VectorPropertyModel, Embedding<float>>? generated)
    {
        var key = _model.KeyProperty.GetValueAsObject(record)
            ?? throw new ArgumentException($"A record's key '{_model.KeyProperty.ModelName}' is null; every record needs a key.", nameof(record));

        // Every vector is checked (and bound) before anything of the record is written.
        for (var i = 0; i < _model.VectorProperties.Count; i++)
        {
            var property = _model.VectorProperties[i];
            var vector = generated is not null && generated.TryGetValue(property, out var embedding)
                ? embedding.Vector
                : SqliteValueConverter.VectorOf(property.GetValueAsObject(record));
            if (vector is { } v && property.Dimensions > 0 && v.Length != property.Dimensions)
            {
                throw new ArgumentException(
                    $"Record '{key}' has a {v.Length}-dimensional '{property.ModelName}' vector, but collection '{schema.Name}' stores {property.Dimensions} dimensions.",
                    nameof(record));
            }

            vectors!.Bind(i + 2, vector);
        }

        records.Bind(1, SqliteValueConverter.ToDatabase(key));
        for (var i = 0; i < _model.DataProperties.Count; i++)
        {
            records.Bind(i + 2, SqliteValueConverter.ToDatabase(_model.DataProperties[i].GetValueAsObject(record)));
        }

        var rowId = records.ExecuteInt64();
        if (vectors is null)
        {
            return;
        }

        vectors.Bind(1, rowId);
        vectors.Execute();
    }

    /// <summary>The record upsert, and the vector upsert when the collection has vectors; the caller disposes both.</summary>
    public (SqliteStatement Records, SqliteStatement? Vectors) PrepareUpsert(SqliteConnection connection)
    {
        var records = new SqliteStatement(connection, _recordUpsertSql);
        try
        {
            return (records, _vectorUpsertSql is null ? null : new SqliteStatement(connection, _vectorUpsertSql));
        }
        catch
        {
            records.Dispose();
            throw;
        }
    }

    // Parameters by position: ?1 the key, ?2… the data properties in model order.
    private static string BuildRecordUpsertSql(SqliteSchema schema)
    {
        var model = schema.Model;
        var key = SqliteSchema.Quote(model.KeyProperty.StorageName);
        var columns = new List<string> { key };
        columns.AddRange(model.DataProperties.Select(p => SqliteSchema.Quote(p.StorageName)));
        var values = string.Join(", ", columns.Select((_, i) => "?" + (i + 1)));

        // ON CONFLICT DO UPDATE keeps the row id, so the full-text row is updated in place by the trigger, and the vectors
        // stay under it. Without data properties the key is set to itself: an update, so RETURNING still gives the row.
        var updates = columns.Count == 1 ? [key] : columns.Skip(1);
        var set = string.Join(", ", updates.Select(c => $"{c} = excluded.{c}"));
        return $"INSERT INTO {schema.Table} ({string.Join(", ", columns)}) VALUES ({values}) ON CONFLICT({key}) DO UPDATE SET {set} RETURNING {SqliteSchema.Quote(SqliteSchema.RowIdColumn)}";
    }

    // Parameters by position: ?1 the record's row id, ?2… the vector properties in model order.
    private static string? BuildVectorUpsertSql(SqliteSchema schema)
    {
        var model = schema.Model;
        if (model.VectorProperties.Count == 0)
        {
            return null;
        }

        var columns = string.Concat(model.VectorProperties.Select(p => ", " + SqliteSchema.Quote(p.StorageName)));
        var values = string.Concat(model.VectorProperties.Select((_, i) => ", ?" + (i + 2)));
        return $"INSERT OR REPLACE INTO {schema.VectorTable} ({SqliteSchema.Quote(SqliteSchema.RowIdColumn)}{columns}) VALUES (?1{values})";
    }
}
