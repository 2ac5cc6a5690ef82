using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Agents.Tools.Sql;

/// <summary>
/// One connection for one tool call, locked down by the engine: opened read-only, an authorizer
/// that refuses everything but reads, extension loading and schema writes switched off, a cap on
/// the size of any value, and a deadline checked while SQLite runs that interrupts a runaway query.
/// </summary>
internal sealed class ReadOnlyConnection : IDisposable
{
    // Long enough for any query a model writes; a longer one is an attack on the parser.
    private const int MaxQueryBytes = 100_000;

    // Virtual-machine instructions between deadline checks: microseconds of work, so the check costs nothing and a runaway stops on time.
    private const int DeadlineCheckInterval = 1_000;

    private readonly SqliteConnection _connection;
    private readonly SqlToolOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellationToken;
    private readonly long _started;
    private readonly ReadOnlyAuthorizer _authorizer = new();
    private bool _timedOut;

    private ReadOnlyConnection(SqliteConnection connection, SqlToolOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        _connection = connection;
        _options = options;
        _time = time;
        _cancellationToken = cancellationToken;
        _started = time.GetTimestamp();
    }

    public static ReadOnlyConnection Open(SqlToolOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        if (!File.Exists(path))
        {
            throw new SqlToolException($"The database file '{path}' does not exist.");
        }

        // No pooling: a pooled connection would carry this call's authorizer and deadline into the next user of the pool.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var guarded = new ReadOnlyConnection(connection, options, time, cancellationToken);
            guarded.LockDown(connection.Handle!);
            return guarded;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new SqlToolException($"The database '{path}' could not be opened: {ex.Message.TrimEnd('.')}.", ex);
        }
        catch
        {
            // A connection that could not be locked down is never handed out, and never left open.
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs exactly one read-only statement and returns at most <paramref name="maxRows"/> rows and <paramref name="maxChars"/> characters of them.</summary>
    public SqlQueryResult Query(string sql, int maxRows, int maxChars)
    {
        var db = _connection.Handle!;
        using var statement = PrepareSingle(db, sql);
        if (raw.sqlite3_stmt_readonly(statement) == 0)
        {
            // VACUUM INTO passes the authorizer (it is not an authorized action) but writes a file; this catches it and anything like it.
            throw Refusal(LeadingKeywords.Of(sql));
        }

        var columnCount = raw.sqlite3_column_count(statement);
        var columns = new string[columnCount];
        for (var i = 0; i < columnCount; i++)
        {
            columns[i] = raw.sqlite3_column_name(statement, i).utf8_to_string() ?? $"column{i + 1}";
        }

        var chars = SqlQueryResult.LineLength(columns);
        if (chars > maxChars)
        {
            throw new SqlToolException(string.Create(CultureInfo.InvariantCulture,
                $"The query's {columnCount} column names alone pass the {maxChars}-character result limit; select fewer columns or shorter names."));
        }

        var rows = new List<object?[]>();
        var truncated = false;
        while (true)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_DONE)
            {
                break;
            }

            if (rc != raw.SQLITE_ROW)
            {
                throw Failure(db, rc, sql, compiling: false);
            }

            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }

            var row = ReadRow(statement, columnCount);
            chars += SqlQueryResult.LineLength(row);
            if (chars > maxChars)
            {
                truncated = true;
                break;
            }

            rows.Add(row);
        }

        return new SqlQueryResult(columns, rows, truncated, truncated && rows.Count < maxRows ? maxChars : null);
    }

    public void Dispose() => _connection.Dispose();

    private void LockDown(sqlite3 db)
    {
        // Belt and braces beside the authorizer: no extensions, no writable schema or shadow-table writes,
        // no functions with side effects reachable from views or triggers, no pointer-taking FTS3 tokenizer.
        Configure(db, raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0);
        Configure(db, raw.SQLITE_DBCONFIG_DEFENSIVE, 1);
        Configure(db, raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0);
        Configure(db, raw.SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0);

        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_LENGTH, _options.MaxValueBytes);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_SQL_LENGTH, MaxQueryBytes);
        raw.sqlite3_limit(db, raw.SQLITE_LIMIT_ATTACHED, 0);

        _authorizer.Install(db);
        raw.sqlite3_progress_handler(db, DeadlineCheckInterval, _ => PastDeadline() ? 1 : 0, null);
    }

    private static void Configure(sqlite3 db, int option, int value)
    {
        var rc = raw.sqlite3_db_config(db, option, value, out _);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqlToolException($"SQLite refused to lock the connection down (option {option}: {raw.sqlite3_errstr(rc).utf8_to_string()}).");
        }
    }

    private bool PastDeadline()
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            return true;
        }

        _timedOut = _time.GetElapsedTime(_started) >= _options.Timeout;
        return _timedOut;
    }

    private sqlite3_stmt PrepareSingle(sqlite3 db, string sql)
    {
        _authorizer.Reset();
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail);

        // Leading empty statements (";", comments) compile to nothing; the first real one is the query.
        while (rc == raw.SQLITE_OK && statement.IsInvalid && !string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            rc = raw.sqlite3_prepare_v2(db, tail, out statement, out tail);
        }

        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw Failure(db, rc, sql, compiling: true);
        }

        if (statement.IsInvalid)
        {
            statement.Dispose();
            throw new SqlToolException("The query is empty; send one SELECT statement.");
        }

        // Whatever follows must compile to nothing: only whitespace, comments and semicolons may trail the statement.
        while (!string.IsNullOrWhiteSpace(tail))
        {
            rc = raw.sqlite3_prepare_v2(db, tail, out var next, out var rest);
            var another = rc != raw.SQLITE_OK || !next.IsInvalid;
            next.Dispose();
            if (another || rest.Length >= tail.Length)
            {
                statement.Dispose();
                throw new SqlToolException("Only one statement per call is allowed; send a single SELECT with nothing after its semicolon.");
            }

            tail = rest;
        }

        return statement;
    }

    private object?[] ReadRow(sqlite3_stmt statement, int columnCount)
    {
        var row = new object?[columnCount];
        for (var i = 0; i < columnCount; i++)
        {
            row[i] = raw.sqlite3_column_type(statement, i) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, i),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, i),
                raw.SQLITE_TEXT => ReadText(raw.sqlite3_column_blob(statement, i)),
                raw.SQLITE_BLOB => string.Create(CultureInfo.InvariantCulture, $"<blob {raw.sqlite3_column_bytes(statement, i)} bytes>"),
                _ => null,
            };
        }

        return row;
    }

    private string ReadText(ReadOnlySpan<byte> utf8)
    {
        var max = _options.MaxCellChars;

        // A UTF-8 character is at most 4 bytes, so this many bytes decode to at least max characters: enough to cut from.
        var text = Encoding.UTF8.GetString(utf8.Length > max * 4 ? utf8[..(max * 4)] : utf8);
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    private Exception Failure(sqlite3 db, int rc, string sql, bool compiling)
    {
        // A refused function fails with a plain SQLITE_ERROR ("not authorized to use function"), so the authorizer's record decides.
        if (_authorizer.HasRefused || (rc & 0xFF) == raw.SQLITE_AUTH)
        {
            return Refusal(_authorizer.DescribeRefusal(sql));
        }

        var message = raw.sqlite3_errmsg(db).utf8_to_string();
        switch (rc & 0xFF)
        {
            case raw.SQLITE_INTERRUPT when _cancellationToken.IsCancellationRequested:
                return new OperationCanceledException("The query was cancelled.", _cancellationToken);
            case raw.SQLITE_INTERRUPT when _timedOut:
                return new SqlToolException(string.Create(CultureInfo.InvariantCulture,
                    $"The query ran past the {_options.Timeout.TotalSeconds:0.###} s limit and was stopped; filter, aggregate or add a LIMIT so it does less work."));
            case raw.SQLITE_TOOBIG when compiling:
                return new SqlToolException(string.Create(CultureInfo.InvariantCulture,
                    $"The query is longer than the {MaxQueryBytes}-byte limit; send a shorter one."));
            case raw.SQLITE_TOOBIG:
                return new SqlToolException(string.Create(CultureInfo.InvariantCulture,
                    $"A value grew past the {_options.MaxValueBytes}-byte limit (string or blob too big); return smaller values."));
            default:
                return new SqlToolException($"SQLite could not run the query: {message?.TrimEnd('.')}.");
        }
    }

    private static SqlToolException Refusal(string what) =>
        new($"Only read-only SELECT queries are allowed: {what} is refused.");

}
