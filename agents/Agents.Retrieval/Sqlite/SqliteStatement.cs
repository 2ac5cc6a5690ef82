using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// One statement prepared on a connection through SQLite's own API, run many times with values bound by position.
/// A write runs it once per record: a command would look each parameter up by name and copy every value first.
/// </summary>
/// <remarks>
/// SQLite's statement API has no busy handling (Microsoft.Data.Sqlite retries in its commands): use it inside a
/// transaction that already holds the lock it needs.
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private byte[] _text = new byte[1024];

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement), connection);
    }

    /// <summary>Binds a value as <see cref="SqliteValueConverter.ToDatabase"/> shapes it to parameter <paramref name="index"/> (from 1).</summary>
    public void Bind(int index, object value) => Check(value switch
    {
        DBNull => raw.sqlite3_bind_null(_statement, index),
        string text => BindText(index, text),
        long number => raw.sqlite3_bind_int64(_statement, index, number),
        int number => raw.sqlite3_bind_int64(_statement, index, number),
        short number => raw.sqlite3_bind_int64(_statement, index, number),
        double real => raw.sqlite3_bind_double(_statement, index, real),
        float real => raw.sqlite3_bind_double(_statement, index, real),
        byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
        _ => throw new NotSupportedException($"Values of type {value.GetType().Name} cannot be stored in SQLite."),
    });

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds a vector as the float32 BLOB it is stored as, or NULL; SQLite copies it.</summary>
    public void Bind(int index, ReadOnlyMemory<float>? vector) => Check(vector is { } value
        ? raw.sqlite3_bind_blob(_statement, index, MemoryMarshal.AsBytes(value.Span))
        : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its end.</summary>
    public void Execute()
    {
        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        Check(step);
    }

    /// <summary>Runs a statement that returns one integer (<c>RETURNING</c>) and gives that integer.</summary>
    public long ExecuteInt64()
    {
        var step = raw.sqlite3_step(_statement);
        if (step != raw.SQLITE_ROW)
        {
            raw.sqlite3_reset(_statement);
            Check(step);
            throw new InvalidOperationException("A statement expected to return a value returned no row.");
        }

        var value = raw.sqlite3_column_int64(_statement, 0);
        step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        Check(step);
        return value;
    }

    public void Dispose() => _statement.Dispose();

    /// <summary>Throws the connection's SQLite error for a result code that is not a success.</summary>
    public static void Check(int code, SqliteConnection connection)
    {
        if (code is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(code, connection.Handle);
        }
    }

    private void Check(int code) => Check(code, _connection);

    // Encoded here into a buffer kept for the statement's life: binding a string otherwise allocates its UTF-8 copy.
    private int BindText(int index, string text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < most)
        {
            _text = new byte[most];
        }

        var length = Encoding.UTF8.GetBytes(text, _text);
        return raw.sqlite3_bind_text(_statement, index, _text.AsSpan(0, length));
    }
}
