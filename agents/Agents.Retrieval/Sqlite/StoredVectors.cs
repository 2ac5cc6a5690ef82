using System.Runtime.InteropServices;
using Agents.Retrieval.Vectors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// One vector property of a collection, loaded from its BLOBs into one contiguous matrix so that a query is a single
/// pass over memory. Rows are in row-id order; <see cref="Version"/> is the collection version it was loaded at.
/// </summary>
internal sealed class StoredVectors : IDisposable
{
    private readonly long[] _rowIds;
    private readonly float[]? _bias;

    private StoredVectors(long version, VectorScoring scoring, VectorMatrix matrix, long[] rowIds, float[]? bias)
    {
        Version = version;
        Scoring = scoring;
        Matrix = matrix;
        _rowIds = rowIds;
        _bias = bias;
    }

    public long Version { get; }

    public VectorScoring Scoring { get; }

    public VectorMatrix Matrix { get; }

    public int Count => _rowIds.Length;

    public static StoredVectors Load(SqliteConnection connection, SqliteSchema schema, VectorPropertyModel property, long version)
    {
        var scoring = VectorScoring.For(property.DistanceFunction);
        var column = SqliteSchema.Quote(property.StorageName);

        // Counting all records reads only the small key index; a count of non-null vectors would read every row
        // twice. The count only sizes the matrix, which still grows if writers added rows meanwhile.
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {schema.Table}";
        var rows = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        // Reading through a memory map spares one system call and one copy per page, which is most of the time a
        // 100k-vector load takes; the setting lasts for this connection only.
        using (var map = connection.CreateCommand())
        {
            map.CommandText = "PRAGMA mmap_size = 4294967296";
            map.ExecuteNonQuery();
        }

        var matrix = new VectorMatrix(property.Dimensions, rows);
        var rowIds = new List<long>(rows);
        var bias = scoring.UsesSquaredNorms ? new List<float>(rows) : null;
        var row = new float[property.Dimensions];
        var bytes = new byte[row.Length * sizeof(float)];
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {SqliteSchema.Quote(SqliteSchema.RowIdColumn)}, {column} FROM {schema.VectorTable} WHERE {column} IS NOT NULL ORDER BY 1";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            // Copied straight into one reused buffer: no stream or array per row.
            var length = reader.GetBytes(1, 0, null, 0, 0);
            if (length != bytes.Length)
            {
                throw new InvalidDataException(
                    $"Collection '{schema.Name}' holds a {length / sizeof(float)}-dimensional '{property.ModelName}' vector where {property.Dimensions} dimensions were declared.");
            }

            reader.GetBytes(1, 0, bytes, 0, bytes.Length);
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(row);

            if (scoring.NormalizeRows)
            {
                UnitVector.Normalize(row);
            }

            bias?.Add(-System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row));
            matrix.Add(row);
            rowIds.Add(reader.GetInt64(0));
        }

        return new StoredVectors(version, scoring, matrix, [.. rowIds], bias?.ToArray());
    }

    /// <summary>Best rows for <paramref name="preparedQuery"/>, restricted to <paramref name="allowedRowIds"/> when given.</summary>
    public (long RowId, float KernelScore)[] Search(ReadOnlySpan<float> preparedQuery, int top, IReadOnlyCollection<long>? allowedRowIds)
    {
        // The kernel may size its result buffer by top: never ask it for more rows than there are (top: int.MaxValue).
        top = Math.Min(top, _rowIds.Length);
        if (top == 0)
        {
            return [];
        }

        RowFilter? filter = null;
        if (allowedRowIds is not null)
        {
            filter = new RowFilter(_rowIds.Length);
            foreach (var rowId in allowedRowIds)
            {
                var index = Array.BinarySearch(_rowIds, rowId);
                if (index >= 0)
                {
                    filter.Add(index);
                }
            }
        }

        var matches = ExactVectorSearch.Search(Matrix, preparedQuery, top, new VectorSearchOptions { Filter = filter, Bias = _bias });
        return [.. matches.Select(m => (_rowIds[m.Row], m.Score))];
    }

    public void Dispose() => Matrix.Dispose();
}
