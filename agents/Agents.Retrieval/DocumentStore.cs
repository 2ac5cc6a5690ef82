using System.Globalization;
using Agents.Grounding;
using Agents.Retrieval.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval;

/// <summary>
/// Documents and their embedded passages in one SQLite file: what <c>agents ingest</c> fills and <c>agents search</c>,
/// the <c>search_documents</c> tool and retrieve-before-answering read. Passages live in a VectorData collection
/// (<see cref="Chunks"/>); a <c>documents</c> table records each file's content hash, so re-ingesting an unchanged
/// file is a no-op and a changed one replaces its passages in one transaction.
/// </summary>
public sealed class DocumentStore : IDocumentRetriever, IDisposable
{
    /// <summary>The schema version this build writes; newer files are refused.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The VectorData collection holding the passages.</summary>
    public const string ChunksCollection = "chunks";

    private const int SqliteNotADatabase = 26;

    private readonly DocumentStoreOptions _options;
    private readonly SqliteVectorStore _store;
    private readonly string _connectionString;
    private readonly string? _generatorModel;
    private SqliteVectorStoreCollection<string, DocumentChunk>? _chunks;

    private DocumentStore(string path, DocumentStoreOptions options)
    {
        _options = options;
        Path = path;
        _store = new SqliteVectorStore(path, new SqliteVectorStoreOptions { BusyTimeout = options.BusyTimeout });
        _connectionString = SqliteVectorStore.ConnectionString(path, options.BusyTimeout);
        _generatorModel = options.EmbeddingModelId
            ?? options.EmbeddingGenerator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
    }

    /// <summary>The full path of the store's file.</summary>
    public string Path { get; }

    /// <summary>The embedding model the store's vectors were made with; null until the first document is written.</summary>
    public string? EmbeddingModel { get; private set; }

    /// <summary>The size of the store's vectors; null until the first document is written.</summary>
    public int? Dimensions { get; private set; }

    /// <summary>The passages as a VectorData collection; null until the first document is written.</summary>
    public VectorStoreCollection<string, DocumentChunk>? Chunks => _chunks;

    /// <summary>Opens the store at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file there and <see cref="DocumentStoreOptions.CreateIfMissing"/> is off.</exception>
    /// <exception cref="InvalidDataException">The file is not a document store, or a newer version wrote it.</exception>
    /// <exception cref="EmbeddingModelMismatchException">The store was built with another embedding model than the one given.</exception>
    public static async Task<DocumentStore> OpenAsync(string path, DocumentStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DocumentStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueryLength, 1);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!options.CreateIfMissing && !File.Exists(fullPath))
        {
            throw new FileNotFoundException($"There is no document store at {fullPath}; create one with 'agents ingest {path} FILES...'.", fullPath);
        }

        var store = new DocumentStore(fullPath, options);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The document recorded for <paramref name="source"/>, or null.</summary>
    public async Task<StoredDocument?> GetDocumentAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT source, hash, title, chunks, bytes, ingested_at FROM documents WHERE source = $source";
        command.Parameters.AddWithValue("$source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDocument(reader) : null;
    }

    /// <summary>Every recorded document, by source.</summary>
    public async Task<IReadOnlyList<StoredDocument>> ListDocumentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT source, hash, title, chunks, bytes, ingested_at FROM documents ORDER BY source";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var documents = new List<StoredDocument>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add(ReadDocument(reader));
        }

        return documents;
    }

    public async Task<DocumentStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(chunks), 0) FROM documents";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DocumentStoreStatistics(reader.GetInt32(0), reader.GetInt32(1), EmbeddingModel, Dimensions);
    }

    /// <summary>
    /// Stores <paramref name="document"/> with its passages, replacing whatever the store held for its source, in one
    /// transaction: a reader, or a process killed midway, sees the old document or the new one, never a mix.
    /// </summary>
    /// <exception cref="ArgumentException">Passages of another source, or embeddings of another size than the store's.</exception>
    public async Task WriteDocumentAsync(StoredDocument document, IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        foreach (var chunk in chunks)
        {
            if (chunk.Source != document.Source)
            {
                throw new ArgumentException($"Passage '{chunk.Id}' belongs to '{chunk.Source}', not to '{document.Source}'.", nameof(chunks));
            }
        }

        var collection = await ChunksForWritingAsync(chunks, cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var source = document.Source;
        await collection.DeleteWhereAsync(connection, transaction, c => c.Source == source, cancellationToken).ConfigureAwait(false);
        await collection.UpsertAsync(connection, transaction, chunks, null, cancellationToken).ConfigureAwait(false);
        using (var record = connection.CreateCommand())
        {
            record.Transaction = transaction;
            record.CommandText = """
                INSERT INTO documents (source, hash, title, chunks, bytes, ingested_at) VALUES ($source, $hash, $title, $chunks, $bytes, $at)
                ON CONFLICT(source) DO UPDATE SET hash = excluded.hash, title = excluded.title, chunks = excluded.chunks, bytes = excluded.bytes, ingested_at = excluded.ingested_at
                """;
            record.Parameters.AddWithValue("$source", source);
            record.Parameters.AddWithValue("$hash", document.ContentHash);
            record.Parameters.AddWithValue("$title", (object?)document.Title ?? DBNull.Value);
            record.Parameters.AddWithValue("$chunks", chunks.Count);
            record.Parameters.AddWithValue("$bytes", document.Bytes);
            record.Parameters.AddWithValue("$at", document.IngestedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds passages written since the last call to the keyword index. Writes leave that to this bulk step, which is
    /// several times faster than indexing each passage as it is written; keyword and hybrid searches run it first, so
    /// their results are always exact, and an ingest runs it at its end.
    /// </summary>
    /// <returns>How many passages were indexed.</returns>
    public Task<long> UpdateFullTextIndexAsync(CancellationToken cancellationToken = default) =>
        _chunks?.UpdateFullTextIndexAsync(cancellationToken) ?? Task.FromResult(0L);

    /// <summary>Removes a document and its passages; false when the store did not hold it.</summary>
    public async Task<bool> RemoveDocumentAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (_chunks is { } collection)
        {
            await collection.DeleteWhereAsync(connection, transaction, c => c.Source == source, cancellationToken).ConfigureAwait(false);
        }

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM documents WHERE source = $source";
        delete.Parameters.AddWithValue("$source", source);
        var removed = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>The best <paramref name="top"/> passages for <paramref name="query"/>, best first.</summary>
    /// <exception cref="ArgumentException">The query is empty or longer than <see cref="DocumentStoreOptions.MaxQueryLength"/>.</exception>
    /// <exception cref="InvalidOperationException">Vector or hybrid search without an embedding model.</exception>
    public async Task<IReadOnlyList<RetrievedPassage>> SearchAsync(string query, int top, DocumentSearchMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (string.IsNullOrWhiteSpace(query))
        {
            // No parameter name: the message is shown to people and models as is.
            throw new ArgumentException("The search query is empty; say what to look for.");
        }

        if (query.Length > _options.MaxQueryLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The search query is {query.Length:N0} characters long; the limit is {_options.MaxQueryLength:N0}. Search for the key words instead."));
        }

        if (_chunks is not { } collection)
        {
            return [];
        }

        var results = new List<RetrievedPassage>(top);
        var hits = mode switch
        {
            DocumentSearchMode.Keyword => collection.KeywordSearchAsync(query, top, cancellationToken: cancellationToken),
            DocumentSearchMode.Vector => collection.SearchAsync(await EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false), top, cancellationToken: cancellationToken),
            _ => collection.HybridSearchAsync(await EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false), [query], top, cancellationToken: cancellationToken),
        };
        await foreach (var hit in hits.ConfigureAwait(false))
        {
            var chunk = hit.Record;
            results.Add(new RetrievedPassage(chunk.Id, chunk.Source, chunk.Position, hit.Score ?? 0, chunk.Text));
        }

        return results;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int top, CancellationToken cancellationToken = default) =>
        SearchAsync(query, top, _options.DefaultMode, cancellationToken);

    public void Dispose()
    {
        _chunks?.Dispose();
        _store.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Opening reads the file's header, which is where a file that is not a database is found out.
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // A store this version already made needs no schema statements: opening it then writes nothing.
            if (await CheckIsStoreAsync(connection, cancellationToken).ConfigureAwait(false) < SchemaVersion)
            {
                await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM store_info";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (reader.GetString(0))
                {
                    case "embedding_model":
                        EmbeddingModel = reader.GetString(1);
                        break;
                    case "dimensions":
                        Dimensions = int.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
                        break;
                }
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            throw new InvalidDataException($"{Path} is not a document store (not a SQLite database).", ex);
        }

        if (EmbeddingModel is not null && _generatorModel is not null && _generatorModel != EmbeddingModel)
        {
            throw new EmbeddingModelMismatchException(Path, EmbeddingModel, Dimensions, _generatorModel);
        }

        if (Dimensions is { } dimensions)
        {
            _chunks = _store.GetCollection<string, DocumentChunk>(ChunksCollection, DocumentChunk.CreateDefinition(dimensions));
        }
    }

    private static async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets searches read while an ingest writes; the mode is stored in the file, so this runs once per file.
        // 16 KB pages (effective only while the file is still empty) hold several passages each where 4 KB pages
        // hold one, so loading all vectors reads a quarter as many pages.
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents (source TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT, chunks INTEGER NOT NULL, bytes INTEGER NOT NULL, ingested_at TEXT NOT NULL);
            PRAGMA user_version = {SchemaVersion};
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a file this store must not write to: one from a newer version, or an SQLite database that is someone
    /// else's (it has tables but no schema version of ours). An empty file becomes a store only when creating one.
    /// </summary>
    /// <returns>The file's schema version; 0 for an empty file.</returns>
    private async Task<int> CheckIsStoreAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidDataException($"{Path} was written by a newer version of Agents (schema {version}; this one reads up to {SchemaVersion}); upgrade Agents.");
        }

        if (version > 0)
        {
            return version;
        }

        command.CommandText = "SELECT count(*) FROM sqlite_master";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
        {
            throw new InvalidDataException($"{Path} is an SQLite database but not a document store; it was left unchanged. Give a new file name to make a store.");
        }

        if (!_options.CreateIfMissing)
        {
            throw new InvalidDataException($"{Path} is not a document store (an empty file); create one with 'agents ingest {Path} FILES...'.");
        }

        return version;
    }

    /// <summary>The passages collection, created with the size of the first embeddings ever written.</summary>
    private async Task<SqliteVectorStoreCollection<string, DocumentChunk>> ChunksForWritingAsync(IReadOnlyList<DocumentChunk> chunks, CancellationToken cancellationToken)
    {
        if (_chunks is { } existing)
        {
            return existing;
        }

        var dimensions = chunks.Count > 0 ? chunks[0].Embedding.Length : 0;
        if (dimensions == 0)
        {
            throw new ArgumentException("The first document written to a store must have embedded passages: their size fixes the store's vector size.", nameof(chunks));
        }

        var model = _generatorModel ?? throw new InvalidOperationException("Writing passages needs DocumentStoreOptions.EmbeddingModelId (or an embedding generator that reports its model id), so the store can record which model made its vectors.");
        var collection = _store.GetCollection<string, DocumentChunk>(ChunksCollection, DocumentChunk.CreateDefinition(dimensions));
        await collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var record = connection.CreateCommand();
        record.CommandText = "INSERT OR REPLACE INTO store_info (key, value) VALUES ('embedding_model', $model), ('dimensions', $dimensions)";
        record.Parameters.AddWithValue("$model", model);
        record.Parameters.AddWithValue("$dimensions", dimensions.ToString(CultureInfo.InvariantCulture));
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        (EmbeddingModel, Dimensions, _chunks) = (model, dimensions, collection);
        return collection;
    }

    private async Task<ReadOnlyMemory<float>> EmbedQueryAsync(string query, CancellationToken cancellationToken)
    {
        var generator = _options.EmbeddingGenerator
            ?? throw new InvalidOperationException($"{Path} holds vectors made by '{EmbeddingModel}'; give that embedding model to search by meaning, or search by keyword (no model needed).");
        return (await generator.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // In WAL mode NORMAL still survives a killed process (only a power cut can lose the last commits), and
            // a lost commit is redone by the next ingest; FULL would fsync on every document.
            // Checkpoints every 128 MB of log rather than every 16 MB: each one syncs both files and rewrites the pages
            // every document touches (the collection's version, the tables' rightmost pages), which cost an ingest ≈10%;
            // the log is cut back to 64 MB after each, so it does not stay at its largest size on disk.
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 67108864";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static StoredDocument ReadDocument(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetInt32(3),
        reader.GetInt64(4),
        DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
}
