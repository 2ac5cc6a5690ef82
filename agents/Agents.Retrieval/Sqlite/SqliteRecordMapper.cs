using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>Moves records between their .NET shape and the columns <see cref="SqliteSchema"/> lays out.</summary>
internal sealed class SqliteRecordMapper<TRecord>(SqliteSchema schema)
    where TRecord : class
{
    private readonly CollectionModel _model = schema.Model;

    public string UpsertSql { get; } = BuildUpsertSql(schema);

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

    /// <summary>Sets the upsert command's parameters from <paramref name="record"/>.</summary>
    /// <param name="generated">Embeddings made for vector properties whose values are not vectors (e.g. text).</param>
    public void Bind(SqliteCommand command, TRecord record, IReadOnlyDictionary<VectorPropertyModel, Embedding<float>>? generated)
    {
        var key = _model.KeyProperty.GetValueAsObject(record)
            ?? throw new ArgumentException($"A record's key '{_model.KeyProperty.ModelName}' is null; every record needs a key.", nameof(record));
        command.Parameters["$k"].Value = SqliteValueConverter.ToDatabase(key);
        for (var i = 0; i < _model.DataProperties.Count; i++)
        {
            command.Parameters["$d" + i].Value = SqliteValueConverter.ToDatabase(_model.DataProperties[i].GetValueAsObject(record));
        }

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

            command.Parameters["$v" + i].Value = vector is { } value ? SqliteValueConverter.ToBlob(value.Span) : DBNull.Value;
        }
    }

    public SqliteCommand CreateUpsertCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertSql;
        command.Parameters.Add(new SqliteParameter("$k", null));
        for (var i = 0; i < _model.DataProperties.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter("$d" + i, null));
        }

        for (var i = 0; i < _model.VectorProperties.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter("$v" + i, null));
        }

        return command;
    }

    private static string BuildUpsertSql(SqliteSchema schema)
    {
        var model = schema.Model;
        var key = SqliteSchema.Quote(model.KeyProperty.StorageName);
        var columns = new List<string> { key };
        var values = new List<string> { "$k" };
        for (var i = 0; i < model.DataProperties.Count; i++)
        {
            columns.Add(SqliteSchema.Quote(model.DataProperties[i].StorageName));
            values.Add("$d" + i);
        }

        var updates = columns.Skip(1).Select(c => $"{c} = excluded.{c}").ToList();

        // ON CONFLICT DO UPDATE keeps the row id, so the full-text row is updated in place by the trigger.
        var conflict = updates.Count == 0
            ? "DO NOTHING"
            : "DO UPDATE SET " + string.Join(", ", updates);
        var sql = $"INSERT INTO {schema.Table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)}) ON CONFLICT({key}) {conflict};";
        if (model.VectorProperties.Count == 0)
        {
            return sql;
        }

        // The second statement of the same command (parameters are shared) stores the vectors under the record's row id.
        var rowId = SqliteSchema.Quote(SqliteSchema.RowIdColumn);
        var vectorColumns = string.Concat(model.VectorProperties.Select(p => ", " + SqliteSchema.Quote(p.StorageName)));
        var vectorValues = string.Concat(model.VectorProperties.Select((_, i) => ", $v" + i));
        return sql + $" INSERT OR REPLACE INTO {schema.VectorTable} ({rowId}{vectorColumns}) VALUES ((SELECT {rowId} FROM {schema.Table} WHERE {key} = $k){vectorValues});";
    }
}
