using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>
/// Session history in one SQLite file: one row per message, each turn written in one transaction.
/// Safe to share between sessions and threads of a process, and between processes on one machine.
/// </summary>
/// <remarks>
/// The file runs in WAL mode with <c>synchronous=FULL</c>: a turn is committed once per agent run, seconds of model
/// time apart, so the extra fsync per commit costs nothing noticeable, and in exchange a turn the user saw saved
/// survives a power loss too, not only a process crash (WAL with NORMAL may lose the last commits on power loss).
/// </remarks>
public sealed class SqliteSessionStore : ISessionStore, IDisposable, IAsyncDisposable
{
    /// <summary>The schema version this build writes (<c>PRAGMA user_version</c>); newer files are refused.</summary>
    public const int SchemaVersion = 1;

    private const int SqliteNotADatabase = 26;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly SqliteSessionStoreOptions _options;
    private readonly JsonTypeInfo<ChatMessage> _messageType;
    private int _disposed;

    private SqliteSessionStore(string path, SqliteSessionStoreOptions options)
    {
        _path = path;
        _options = options;

        // AIJsonUtilities.DefaultOptions indents; rows are written compact whatever the caller's options say.
        var compact = new JsonSerializerOptions(options.SerializerOptions) { WriteIndented = false };
        _messageType = (JsonTypeInfo<ChatMessage>)compact.GetTypeInfo(typeof(ChatMessage));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="InvalidDataException">The file is not a SQLite database, or was written by a newer schema version.</exception>
    public static async Task<SqliteSessionStore> OpenAsync(string path, SqliteSessionStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteSessionStoreOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentNullException.ThrowIfNull(options.SerializerOptions);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BusyTimeout, TimeSpan.Zero);

        var store = new SqliteSessionStore(Path.GetFullPath(path), options);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message FROM messages WHERE session_id = $session ORDER BY ordinal";
        command.Parameters.AddWithValue("$session", sessionId);

        var messages = new List<ChatMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var message = JsonSerializer.Deserialize(reader.GetString(0), _messageType)
                ?? throw new InvalidDataException($"Session '{sessionId}' in '{_path}' holds an empty message row; the file was edited outside Agents.");
            messages.Add(Restore(message));
        }

        return messages;
    }

    public async Task AppendTurnAsync(string sessionId, IReadOnlyList<ChatMessage> turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Count == 0)
        {
            return;
        }

        // Serialize before touching the file, so a message that cannot be stored fails the call without holding the write lock.
        var rows = new string[turn.Count];
        for (var i = 0; i < turn.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(turn[i], nameof(turn));
            rows[i] = JsonSerializer.Serialize(turn[i], _messageType);
        }

        var createdAt = _options.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE takes the write lock up front: the next ordinal and turn read below cannot be raced by another writer.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        long nextOrdinal, nextTurn;
        await using (var next = connection.CreateCommand())
        {
            next.Transaction = transaction;
            next.CommandText = "SELECT COALESCE(MAX(ordinal) + 1, 0), COALESCE(MAX(turn) + 1, 0) FROM messages WHERE session_id = $session";
            next.Parameters.AddWithValue("$session", sessionId);
            await using var reader = await next.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            nextOrdinal = reader.GetInt64(0);
            nextTurn = reader.GetInt64(1);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO messages (session_id, ordinal, turn, role, message, created_at)
                VALUES ($session, $ordinal, $turn, $role, $message, $created)
                """;
            var session = insert.Parameters.AddWithValue("$session", sessionId);
            var ordinal = insert.Parameters.Add("$ordinal", SqliteType.Integer);
            insert.Parameters.AddWithValue("$turn", nextTurn);
            var role = insert.Parameters.Add("$role", SqliteType.Text);
            var message = insert.Parameters.Add("$message", SqliteType.Text);
            insert.Parameters.AddWithValue("$created", createdAt);
            for (var i = 0; i < rows.Length; i++)
            {
                ordinal.Value = nextOrdinal + i;
                role.Value = turn[i].Role.Value;
                message.Value = rows[i];
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM messages WHERE session_id = $session";
        command.Parameters.AddWithValue("$session", sessionId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Pooled connections would otherwise keep the file (and its -wal/-shm companions) open after the store is gone.
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var version = await ReadUserVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
            CheckVersion(version);
            if (version == SchemaVersion)
            {
                return;
            }

            // journal_mode is stored in the file and cannot change inside a transaction, so it is set once, first.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Another process may have created the schema while this one waited for the write lock.
            version = await ReadUserVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            CheckVersion(version);
            if (version == 0)
            {
                await ExecuteAsync(connection, transaction, $"""
                    CREATE TABLE messages (
                        session_id TEXT NOT NULL,
                        ordinal    INTEGER NOT NULL,
                        turn       INTEGER NOT NULL,
                        role       TEXT NOT NULL,
                        message    TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (session_id, ordinal)
                    );
                    PRAGMA user_version = {SchemaVersion};
                    """, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            throw new InvalidDataException($"'{_path}' is not a SQLite database; point the session store at a new file or an existing session store.", ex);
        }
    }

    private void CheckVersion(long version)
    {
        if (version > SchemaVersion)
        {
            throw new InvalidDataException($"'{_path}' holds sessions in schema version {version}, newer than the version {SchemaVersion} this build of Agents reads; upgrade Agents to open it.");
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per-connection settings, so they are set on every (possibly pooled) connection handed out.
            var busyMilliseconds = (long)_options.BusyTimeout.TotalMilliseconds;
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<long> ReadUserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // JSON gives a string result back as a JsonElement; a chat client would then send it quoted, unlike the original string.
    private static ChatMessage Restore(ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is FunctionResultContent { Result: JsonElement { ValueKind: JsonValueKind.String } text } result)
            {
                result.Result = text.GetString();
            }
        }

        return message;
    }
}
