using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Agents.Retrieval.Vectors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData.ProviderServices;
using SQLitePCL;

namespace Agents.Retrieval.Sqlite;

/// <summary>The vectors of one row-id range in one contiguous matrix, rows in row-id order.</summary>
internal sealed class VectorSegment : IDisposable
{
    private readonly VectorMatrix _matrix;
    private readonly long[] _rowIds;
    private readonly float[]? _bias;

    private VectorSegment(VectorMatrix matrix, long[] rowIds, float[]? bias)
    {
        _matrix = matrix;
        _rowIds = rowIds;
        _bias = bias;
    }

    public int Count => _rowIds.Length;

    /// <summary>Reads the vectors with row ids in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public static VectorSegment Read(SqliteConnection connection, SqliteSchema schema, VectorPropertyModel property, VectorScoring scoring, long after, long upTo, long expectedRows)
    {
        // Reading through a memory map spares one system call and one copy per page; the setting lasts for this
        // connection only.
        using (var map = connection.CreateCommand())
        {
            map.CommandText = "PRAGMA mmap_size = 4294967296";
            map.ExecuteNonQuery();
        }

        // SQLite's statement API has no busy handling of its own (Microsoft.Data.Sqlite retries in its commands): a first
        // read through a command takes the read lock, waiting out a writer's checkpoint, and the transaction keeps it.
        using var snapshot = connection.BeginTransaction(deferred: true);
        using (var first = connection.CreateCommand())
        {
            first.Transaction = snapshot;
            first.CommandText = $"SELECT 1 FROM {schema.VectorTable} LIMIT 1";
            first.ExecuteScalar();
        }

        var rows = (int)Math.Clamp(expectedRows, 0, int.MaxValue);
        var matrix = new VectorMatrix(property.Dimensions, rows);
        var rowIds = new List<long>(rows);
        var bias = scoring.UsesSquaredNorms ? new List<float>(rows) : null;
        var bytes = property.Dimensions * sizeof(float);
        var column = SqliteSchema.Quote(property.StorageName);
        var rowId = SqliteSchema.Quote(SqliteSchema.RowIdColumn);

        // SQLite's own statement API, not a data reader: each BLOB is read where SQLite holds it (in the memory map) and
        // copied once, straight into its matrix row; the reader's GetBytes made a stream and two copies per row.
        var sql = $"SELECT {rowId}, {column} FROM {schema.VectorTable} WHERE {rowId} > ?1 AND {rowId} <= ?2 AND {column} IS NOT NULL ORDER BY 1";
        SqliteStatement.Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement), connection);
        using (statement)
        {
            SqliteStatement.Check(raw.sqlite3_bind_int64(statement, 1, after), connection);
            SqliteStatement.Check(raw.sqlite3_bind_int64(statement, 2, upTo), connection);
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var blob = raw.sqlite3_column_blob(statement, 1);
                if (blob.Length != bytes)
                {
                    throw new InvalidDataException(
                        $"Collection '{schema.Name}' holds a {blob.Length / sizeof(float)}-dimensional '{property.ModelName}' vector where {property.Dimensions} dimensions were declared.");
                }

                // The BLOB may sit at any byte offset in a page: MemoryMarshal.Cast reads floats unaligned.
                var row = matrix.AddWritable(MemoryMarshal.Cast<byte, float>(blob));
                if (scoring.NormalizeRows)
                {
                    UnitVector.Normalize(row);
                }

                bias?.Add(-TensorPrimitives.Dot<float>(row, row));
                rowIds.Add(raw.sqlite3_column_int64(statement, 0));
            }

            SqliteStatement.Check(step, connection);
        }

        return new VectorSegment(matrix, [.. rowIds], bias?.ToArray());
    }

    /// <summary>Best rows of this segment, restricted to <paramref name="allowedRowIds"/> when given.</summary>
    public (long RowId, float KernelScore)[] Search(ReadOnlySpan<float> preparedQuery, int top, IReadOnlyCollection<long>? allowedRowIds)
    {
        if (Count == 0)
        {
            return [];
        }

        RowFilter? filter = null;
        if (allowedRowIds is not null)
        {
            filter = new RowFilter(_rowIds.Length);
            foreach (var allowed in allowedRowIds)
            {
                var index = Array.BinarySearch(_rowIds, allowed);
                if (index >= 0)
                {
                    filter.Add(index);
                }
            }
        }

        var matches = ExactVectorSearch.Search(_matrix, preparedQuery, Math.Min(top, Count), new VectorSearchOptions { Filter = filter, Bias = _bias });
        return [.. matches.Select(m => (_rowIds[m.Row], m.Score))];
    }

    public void Dispose() => _matrix.Dispose();
}
