using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// One vector property of a collection, loaded from its BLOBs into contiguous matrices so that a query is a single pass
/// over memory: one matrix, or two halves by row id that two connections load side by side when the collection is
/// large and the machine has a second core. <see cref="Version"/> is the collection version it was loaded at.
/// </summary>
internal sealed class StoredVectors : IDisposable
{
    // Below this many rows a second loader costs more (a connection, a thread) than it saves.
    private const long MinRowsToSplit = 20_000;

    private readonly VectorSegment[] _segments;

    private StoredVectors(long version, VectorScoring scoring, VectorSegment[] segments)
    {
        Version = version;
        Scoring = scoring;
        _segments = segments;
        Count = segments.Sum(s => s.Count);
    }

    public long Version { get; }

    public VectorScoring Scoring { get; }

    public int Count { get; }

    /// <param name="connection">An open connection to the store; the lower (or only) half is read through it.</param>
    /// <param name="connectionString">Opens the second loader's connection.</param>
    /// <param name="expectedRows">Sizes the matrices (they still grow if writers added rows meanwhile).</param>
    public static StoredVectors Load(SqliteConnection connection, string connectionString, SqliteSchema schema, VectorPropertyModel property, long version, long expectedRows)
    {
        var scoring = VectorScoring.For(property.DistanceFunction);
        if (expectedRows < MinRowsToSplit || Environment.ProcessorCount < 2)
        {
            return new StoredVectors(version, scoring, [VectorSegment.Read(connection, schema, property, scoring, long.MinValue, long.MaxValue, expectedRows)]);
        }

        var (first, last) = RowIdRange(connection, schema);
        var middle = first + ((last - first) / 2);

        // Rows past "last" were written after this load began; the version the caller read is then already stale, so the
        // next query loads again. Row ids are dense unless many records were deleted, so each half gets about half the
        // rows; a matrix given too little room grows, and room it is given but never fills costs no memory (untouched
        // pages are never backed).
        var half = (expectedRows / 2) + (expectedRows / 8);
        var upper = Task.Run(() =>
        {
            using var second = new SqliteConnection(connectionString);
            second.Open();
            return VectorSegment.Read(second, schema, property, scoring, middle, last, half);
        });
        var lower = VectorSegment.Read(connection, schema, property, scoring, long.MinValue, middle, half);
        return new StoredVectors(version, scoring, [lower, upper.GetAwaiter().GetResult()]);
    }

    /// <summary>Best rows for <paramref name="preparedQuery"/>, restricted to <paramref name="allowedRowIds"/> when given.</summary>
    public (long RowId, float KernelScore)[] Search(ReadOnlySpan<float> preparedQuery, int top, IReadOnlyCollection<long>? allowedRowIds)
    {
        // The kernel may size its result buffer by top: never ask it for more rows than there are (top: int.MaxValue).
        top = Math.Min(top, Count);
        if (top == 0)
        {
            return [];
        }

        if (_segments.Length == 1)
        {
            return _segments[0].Search(preparedQuery, top, allowedRowIds);
        }

        // Each half's best, merged: ties go to the lower row id, as within one matrix.
        var matches = new List<(long RowId, float KernelScore)>(top * _segments.Length);
        foreach (var segment in _segments)
        {
            matches.AddRange(segment.Search(preparedQuery, top, allowedRowIds));
        }

        return [.. matches.OrderByDescending(m => m.KernelScore).ThenBy(m => m.RowId).Take(top)];
    }

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            segment.Dispose();
        }
    }

    private static (long First, long Last) RowIdRange(SqliteConnection connection, SqliteSchema schema)
    {
        // min and max of an INTEGER PRIMARY KEY are two lookups at the b-tree's ends, not a scan.
        using var range = connection.CreateCommand();
        var rowId = SqliteSchema.Quote(SqliteSchema.RowIdColumn);
        range.CommandText = $"SELECT coalesce(min({rowId}), 0), coalesce(max({rowId}), 0) FROM {schema.VectorTable}";
        using var reader = range.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
