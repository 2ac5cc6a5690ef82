namespace Agents.Tools.Sql;

/// <summary>
/// What the SQL tool may read and how much: the database it opens read-only, and a finite limit on
/// every axis a hostile query could push (time, rows, result size, value size).
/// </summary>
public sealed class SqlToolOptions
{
    /// <summary>The SQLite database file to query; it is opened read-only and never created.</summary>
    public required string DatabasePath { get; set; }

    /// <summary>How long one query may run before it is interrupted.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows returned at most; the result says where it was cut.</summary>
    public int MaxRows { get; set; } = 200;

    /// <summary>Characters of result text at most (about 4,000 tokens), so one answer cannot flood the model's context.</summary>
    public int MaxResultChars { get; set; } = 16_000;

    /// <summary>Characters shown of one text value; longer values end in an ellipsis.</summary>
    public int MaxCellChars { get; set; } = 500;

    /// <summary>
    /// The largest string or blob SQLite may build while running a query (SQLITE_LIMIT_LENGTH), so
    /// <c>randomblob(1e9)</c> or a runaway <c>printf</c> fails at once instead of allocating a gigabyte.
    /// </summary>
    public int MaxValueBytes { get; set; } = 1_000_000;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new ArgumentException("SqlToolOptions.DatabasePath is required.", nameof(DatabasePath));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRows, 1, nameof(MaxRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResultChars, 100, nameof(MaxResultChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCellChars, 10, nameof(MaxCellChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxValueBytes, 1_000, nameof(MaxValueBytes));
    }
}
