using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// The tables behind one collection: <c>"name"</c> holds the records (an integer row id, the key, one column per data
/// property, one float32 BLOB per vector), <c>"name__vectors"</c> holds the vectors by row id, <c>"name__fts"</c> is an
/// FTS5 index over the full-text properties, filled in bulk up to the watermark in <c>"name__fts_indexed"</c>, and the shared <c>"__collections"</c> table records each collection's vector sizes and a version
/// that every write bumps, so cached vectors know when to reload.
/// </summary>
internal sealed partial class SqliteSchema
{
    public const string RowIdColumn = "__id";
    public const string RegistryTable = "__collections";

    /// <summary>
    /// FTS5's pending-terms size before it writes a segment: 16 MB, room for a few thousand passages. Larger (64 MB)
    /// indexed no faster here; the pending terms then outgrow the caches.
    /// </summary>
    public const int FullTextPendingBytes = 16 << 20;

    public SqliteSchema(string collectionName, CollectionModel model)
    {
        // "__" is how the store names its own tables ("__collections", "name__fts", "name__ix_…"): a collection named
        // like one of them would write into it.
        if (!CollectionNamePattern().IsMatch(collectionName) || collectionName.Contains("__", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{collectionName}' is not a usable collection name: use 1 to 64 letters, digits, '_' or '-', starting with a letter or '_', without '__'.",
                nameof(collectionName));
        }

        Name = collectionName;
        Model = model;
        Table = Quote(collectionName);
        FullTextTableName = collectionName + "__fts";
        FullTextTable = Quote(FullTextTableName);
        VectorTable = Quote(collectionName + "__vectors");
        VocabularyTable = Quote(collectionName + "__fts_vocab");
        FullTextIndexedTable = Quote(collectionName + "__fts_indexed");
        FullTextColumns = [.. model.DataProperties.Where(p => p.IsFullTextIndexed)];
        foreach (var property in FullTextColumns)
        {
            if (property.Type != typeof(string))
            {
                throw new ArgumentException($"Property '{property.ModelName}' is marked full-text indexed but is not a string.");
            }

            // FTS5 refuses these column names: its own hidden columns.
            if (property.StorageName.Equals("rank", StringComparison.OrdinalIgnoreCase)
                || property.StorageName.Equals("rowid", StringComparison.OrdinalIgnoreCase)
                || property.StorageName.Equals(FullTextTableName, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"The full-text indexed property '{property.ModelName}' cannot be stored as '{property.StorageName}': the full-text index reserves that name; give it another StorageName.");
            }
        }

        foreach (var property in model.Properties)
        {
            if (string.Equals(property.StorageName, RowIdColumn, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"The storage name '{RowIdColumn}' is reserved by the SQLite vector store.");
            }
        }
    }

    public string Name { get; }

    public CollectionModel Model { get; }

    public string Table { get; }

    /// <summary>The FTS table's name as written in sqlite_master; <see cref="FullTextTable"/> is it quoted for SQL.</summary>
    public string FullTextTableName { get; }

    public string FullTextTable { get; }

    /// <summary>
    /// One row: the highest record row id the full-text index holds (the watermark). Records above it are indexed by
    /// the next catch-up, which writes many rows at a time: several times faster than indexing each row as it is written.
    /// </summary>
    public string FullTextIndexedTable { get; }

    public IReadOnlyList<DataPropertyModel> FullTextColumns { get; }

    /// <summary>
    /// The vectors, apart from the records (row id → one BLOB per vector property): loading every vector for search
    /// then reads vector pages only, not the texts stored beside them.
    /// </summary>
    public string VectorTable { get; }

    /// <summary>The FROM clause of a read: the records, joined to their vectors when those are read too.</summary>
    public string From(bool includeVectors) =>
        includeVectors && Model.VectorProperties.Count > 0 ? $"{Table} LEFT JOIN {VectorTable} USING ({Quote(RowIdColumn)})" : Table;

    /// <summary>An fts5vocab view of the full-text index: how many records hold each term.</summary>
    public string VocabularyTable { get; }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // SQLite table names ignore (ASCII) case, so "Notes" is the table of "notes": the registry must agree, or a write
    // through one spelling would bump a version the other spelling's cached vectors never look at.
    public static string RegistryDdl =>
        $"CREATE TABLE IF NOT EXISTS {Quote(RegistryTable)} (name TEXT PRIMARY KEY COLLATE NOCASE, version INTEGER NOT NULL DEFAULT 0, vectors TEXT NOT NULL)";

    /// <summary>The column list every read selects, in the order <see cref="SqliteRecordMapper{TRecord}"/> reads it.</summary>
    public string SelectColumns(bool includeVectors, string? tableAlias = null)
    {
        var prefix = tableAlias is null ? string.Empty : tableAlias + ".";
        var columns = new List<string> { prefix + Quote(RowIdColumn), prefix + Quote(Model.KeyProperty.StorageName) };
        columns.AddRange(Model.DataProperties.Select(p => prefix + Quote(p.StorageName)));
        if (includeVectors)
        {
            columns.AddRange(Model.VectorProperties.Select(p => prefix + Quote(p.StorageName)));
        }

        return string.Join(", ", columns);
    }

    public IEnumerable<string> CreateStatements()
    {
        var columns = new StringBuilder();
        columns.Append(Quote(RowIdColumn)).Append(" INTEGER PRIMARY KEY AUTOINCREMENT, ");
        columns.Append(Quote(Model.KeyProperty.StorageName)).Append(' ')
            .Append(SqliteValueConverter.ColumnType(Model.KeyProperty.Type)).Append(" NOT NULL UNIQUE");
        foreach (var property in Model.DataProperties)
        {
            columns.Append(", ").Append(Quote(property.StorageName)).Append(' ').Append(SqliteValueConverter.ColumnType(property.Type));
        }

        yield return $"CREATE TABLE IF NOT EXISTS {Table} ({columns})";
        if (Model.VectorProperties.Count > 0)
        {
            var vectorColumns = string.Concat(Model.VectorProperties.Select(p => ", " + Quote(p.StorageName) + " BLOB"));
            yield return $"CREATE TABLE IF NOT EXISTS {VectorTable} ({Quote(RowIdColumn)} INTEGER PRIMARY KEY{vectorColumns})";
            yield return $"CREATE TRIGGER IF NOT EXISTS {Quote(Name + "__vectors_delete")} AFTER DELETE ON {Table} BEGIN DELETE FROM {VectorTable} WHERE {Quote(RowIdColumn)} = old.{Quote(RowIdColumn)}; END";
        }

        foreach (var property in Model.DataProperties.Where(p => p.IsIndexed))
        {
            yield return $"CREATE INDEX IF NOT EXISTS {Quote(Name + "__ix_" + property.StorageName)} ON {Table} ({Quote(property.StorageName)})";
        }

        if (FullTextColumns.Count == 0)
        {
            yield break;
        }

        var ftsColumns = string.Join(", ", FullTextColumns.Select(p => Quote(p.StorageName)));
        var newValues = string.Join(", ", FullTextColumns.Select(p => "new." + Quote(p.StorageName)));
        var oldValues = string.Join(", ", FullTextColumns.Select(p => "old." + Quote(p.StorageName)));
        var rowId = Quote(RowIdColumn);
        var insert = $"INSERT INTO {FullTextTable} (rowid, {ftsColumns}) VALUES (new.{rowId}, {newValues});";
        var delete = $"INSERT INTO {FullTextTable} ({FullTextTable}, rowid, {ftsColumns}) VALUES ('delete', old.{rowId}, {oldValues});";
        var indexed = $"old.{rowId} <= (SELECT row_id FROM {FullTextIndexedTable})";

        // External-content FTS5 over the records table: the text is stored once. New rows are indexed later, in bulk
        // (FullTextCatchUp); only rows already indexed must leave the index when they change or go, so the triggers fire
        // for those alone. Row ids only grow (AUTOINCREMENT), so every new row lies above the watermark.
        yield return $"CREATE VIRTUAL TABLE IF NOT EXISTS {FullTextTable} USING fts5({ftsColumns}, content={Quote(Name)}, content_rowid={rowId}, tokenize='unicode61 remove_diacritics 2')";

        // FTS5 writes its pending terms out as a new segment whenever they pass this size (1 MB by default), and
        // merges segments as they pile up: a bulk catch-up with room for a whole batch writes one segment per batch.
        yield return $"INSERT INTO {FullTextTable} ({FullTextTable}, rank) VALUES ('hashsize', {FullTextPendingBytes})";
        yield return $"CREATE TABLE IF NOT EXISTS {FullTextIndexedTable} (row_id INTEGER NOT NULL)";

        // Replaced, not kept: a store written before indexing was deferred has triggers that index every insert.
        yield return $"DROP TRIGGER IF EXISTS {Quote(Name + "__fts_insert")}";
        yield return $"DROP TRIGGER IF EXISTS {Quote(Name + "__fts_delete")}";
        yield return $"DROP TRIGGER IF EXISTS {Quote(Name + "__fts_update")}";
        yield return $"CREATE TRIGGER {Quote(Name + "__fts_delete")} AFTER DELETE ON {Table} WHEN {indexed} BEGIN {delete} END";
        yield return $"CREATE TRIGGER {Quote(Name + "__fts_update")} AFTER UPDATE ON {Table} WHEN {indexed} BEGIN {delete} {insert} END";
        yield return $"CREATE VIRTUAL TABLE IF NOT EXISTS {VocabularyTable} USING fts5vocab('{FullTextTableName}', 'row')";
    }

    /// <summary>
    /// Records the watermark once, when the collection gets its full-text index: 0 for a new index (every record still
    /// to be indexed), else the highest row id, since a store written before indexing was deferred indexed every row.
    /// </summary>
    public string FullTextWatermarkStart(bool newIndex) =>
        $"INSERT INTO {FullTextIndexedTable} (row_id) SELECT {(newIndex ? "0" : $"coalesce(max({Quote(RowIdColumn)}), 0) FROM {Table}")} WHERE NOT EXISTS (SELECT 1 FROM {FullTextIndexedTable})";

    /// <summary>Indexes the records with row ids in ($from, $to]; the same transaction moves the watermark to $to.</summary>
    public string FullTextCatchUp
    {
        get
        {
            var rowId = Quote(RowIdColumn);
            var ftsColumns = string.Join(", ", FullTextColumns.Select(p => Quote(p.StorageName)));
            return $"INSERT INTO {FullTextTable} (rowid, {ftsColumns}) SELECT {rowId}, {ftsColumns} FROM {Table} WHERE {rowId} > $from AND {rowId} <= $to ORDER BY {rowId}";
        }
    }

    public string FullTextWatermarkMove => $"UPDATE {FullTextIndexedTable} SET row_id = $to";

    /// <summary>The watermark and the highest row id: records above the watermark are not in the full-text index yet.</summary>
    public string FullTextBacklog => $"SELECT (SELECT row_id FROM {FullTextIndexedTable}), (SELECT coalesce(max({Quote(RowIdColumn)}), 0) FROM {Table})";

    public IEnumerable<string> DropStatements()
    {
        yield return $"DROP TABLE IF EXISTS {FullTextIndexedTable}";
        yield return $"DROP TABLE IF EXISTS {VocabularyTable}";
        yield return $"DROP TABLE IF EXISTS {FullTextTable}";
        yield return $"DROP TABLE IF EXISTS {VectorTable}";
        yield return $"DROP TABLE IF EXISTS {Table}";
        yield return $"DELETE FROM {Quote(RegistryTable)} WHERE name = $name";
    }

    // \A and \z, not ^ and $: "$" also matches before a final newline, which let "notes\n" through.
    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex CollectionNamePattern();
}
