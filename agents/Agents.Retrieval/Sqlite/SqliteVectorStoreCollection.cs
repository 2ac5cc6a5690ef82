using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// A collection of records in a SQLite file, as a Microsoft.Extensions.VectorData collection: exact vector search over
/// vectors cached in one contiguous block (reloaded when another writer changed the collection), FTS5/BM25 keyword
/// search, and hybrid search fusing both by reciprocal rank. Every write runs in one transaction.
/// </summary>
/// <remarks>
/// Queries on one collection instance run one at a time (each uses every core for its scan); writes from any
/// connection or process are seen by the next query.
/// </remarks>
public sealed class SqliteVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    internal const string SystemName = "sqlite";

    private const int MinRecordsToPruneTerms = 1000;

    // Row ids indexed per catch-up transaction: large enough that FTS5 writes few segments, small enough that another
    // writer waits well under its busy timeout (about half a second a batch on a busy 2-core machine).
    private const int FullTextBatchRows = 10_000;

    private readonly string _connectionString;
    private readonly SqliteVectorStoreOptions _options;
    private readonly SqliteSchema _schema;
    private readonly SqliteRecordMapper<TRecord> _mapper;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly string _declaredVectors;
    private readonly Dictionary<VectorPropertyModel, StoredVectors> _vectors = [];
    private readonly Lock _vectorsLock = new();
    private (long Version, long Count)? _recordCount;

    internal SqliteVectorStoreCollection(string connectionString, string dataSource, string name, CollectionModel model, SqliteVectorStoreOptions options)
    {
        _connectionString = connectionString;
        _options = options;
        _schema = new SqliteSchema(name, model);
        _mapper = new SqliteRecordMapper<TRecord>(_schema);
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, VectorStoreName = dataSource, CollectionName = name };

        // What the registry records about the vectors; writes and vector searches check it, since a definition with other
        // sizes would store vectors every other reader of the collection fails on.
        _declaredVectors = JsonSerializer.Serialize(
            model.VectorProperties.ToDictionary(p => p.StorageName, p => $"{p.Dimensions}:{VectorScoring.For(p.DistanceFunction).Function}"),
            RetrievalJsonContext.Default.DictionaryStringString);
    }

    /// <inheritdoc />
    public override string Name => _schema.Name;

    /// <inheritdoc />
    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRegistrationAsync(connection, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    /// <exception cref="VectorStoreException">The collection exists with different vector properties or sizes.</exception>
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, SqliteSchema.RegistryDdl, cancellationToken).ConfigureAwait(false);
        var fullTextIndexMissing = _schema.FullTextColumns.Count > 0 && !await FullTextIndexExistsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var statement in _schema.CreateStatements())
        {
            await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
        }

        // A new index (also one a definition adds to a collection already holding records) starts empty and is filled by
        // the next catch-up.
        if (_schema.FullTextColumns.Count > 0)
        {
            await ExecuteAsync(connection, transaction, _schema.FullTextWatermarkStart(fullTextIndexMissing), cancellationToken).ConfigureAwait(false);
        }

        // A new collection's version starts at a random number, not 0: a collection deleted and created again elsewhere
        // with as many writes would otherwise show the version another instance's cached vectors were loaded at.
        using var register = Command(
            connection,
            transaction,
            $"INSERT INTO {SqliteSchema.Quote(SqliteSchema.RegistryTable)} (name, version, vectors) VALUES ($name, abs(random() / 2), $vectors) ON CONFLICT(name) DO NOTHING RETURNING vectors");
        register.Parameters.AddWithValue("$vectors", _declaredVectors);
        var inserted = await register.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (inserted is null)
        {
            using var existing = Command(connection, transaction, $"SELECT vectors FROM {SqliteSchema.Quote(SqliteSchema.RegistryTable)} WHERE name = $name");
            var stored = (string?)await existing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (stored != _declaredVectors)
            {
                throw VectorsDiffer("EnsureCollectionExists", stored);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, SqliteSchema.RegistryDdl, cancellationToken).ConfigureAwait(false);
        foreach (var statement in _schema.DropStatements())
        {
            await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        ClearVectorCache();
    }

    /// <inheritdoc />
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await foreach (var record in GetAsync([key], options, cancellationToken).ConfigureAwait(false))
        {
            return record;
        }

        return null;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var includeVectors = IncludeVectors(options?.IncludeVectors ?? false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in keys.Chunk(500))
        {
            using var command = connection.CreateCommand();
            var names = new string[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                names[i] = "$k" + i;
                command.Parameters.AddWithValue(names[i], SqliteValueConverter.ToDatabase(batch[i]));
            }

            command.CommandText = $"SELECT {_schema.SelectColumns(includeVectors)} FROM {_schema.From(includeVectors)} WHERE {SqliteSchema.Quote(_schema.Model.KeyProperty.StorageName)} IN ({string.Join(", ", names)})";
            await foreach (var (_, record) in ReadAsync(command, includeVectors, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        var includeVectors = IncludeVectors(options.IncludeVectors);

        var (clause, parameters) = SqliteFilterTranslator.Translate(filter, _schema.Model);
        var orderBy = SqliteSchema.Quote(SqliteSchema.RowIdColumn);
        if (options.OrderBy?.Invoke(new()) is { Values.Count: > 0 } ordering)
        {
            orderBy = string.Join(", ", ordering.Values.Select(sort =>
                SqliteSchema.Quote(_schema.Model.GetDataOrKeyProperty(sort.PropertySelector).StorageName) + (sort.Ascending ? " ASC" : " DESC")));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_schema.SelectColumns(includeVectors)} FROM {_schema.From(includeVectors)} WHERE {clause} ORDER BY {orderBy} LIMIT $top OFFSET $skip";
        command.Parameters.AddRange(parameters);
        command.Parameters.AddWithValue("$top", top);
        command.Parameters.AddWithValue("$skip", options.Skip);
        await foreach (var (_, record) in ReadAsync(command, includeVectors, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    public override async Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await BumpVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        using var delete = Command(connection, transaction, $"DELETE FROM {_schema.Table} WHERE {SqliteSchema.Quote(_schema.Model.KeyProperty.StorageName)} = $k");
        var key = delete.Parameters.Add("$k", SqliteType.Text);
        foreach (var item in keys)
        {
            key.Value = SqliteValueConverter.ToDatabase(item);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>All records are written in one transaction: either all are stored or none.</remarks>
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<TRecord> ?? [.. records];
        var generated = await GenerateEmbeddingsAsync(list, cancellationToken).ConfigureAwait(false);

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await UpsertAsync(connection, transaction, list, generated, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The query vector's size differs from the collection's.</exception>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        var property = _schema.Model.GetVectorPropertyOrSingle(options);
        var includeVectors = IncludeVectors(options.IncludeVectors);
        var query = await QueryVectorAsync(property, searchValue, cancellationToken).ConfigureAwait(false);

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var registration = await RequireRegistrationAsync(connection, "Search", cancellationToken).ConfigureAwait(false);
        var (matches, scoring, queryNorm) = await VectorMatchesAsync(connection, registration, property, query, Saturated(top, options.Skip), options.Filter, cancellationToken).ConfigureAwait(false);
        var ranked = matches.Skip(options.Skip)
            .Select(m => (m.RowId, Score: scoring.ToScore(m.KernelScore, queryNorm)))
            .Where(m => scoring.PassesThreshold(m.Score, options.ScoreThreshold))
            .ToList();
        foreach (var result in await LoadRankedAsync(connection, ranked, includeVectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>
    /// Hybrid search: the vector ranking and the BM25 ranking of <paramref name="keywords"/> fused by reciprocal rank
    /// (<see cref="ReciprocalRankFusion"/>). Scores are fusion scores, higher is better.
    /// </summary>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(TInput searchValue, ICollection<string> keywords, int top, HybridSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        var vectorProperty = _schema.Model.GetVectorPropertyOrSingle(new VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        var textProperty = _schema.Model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        var includeVectors = IncludeVectors(options.IncludeVectors);
        var query = await QueryVectorAsync(vectorProperty, searchValue, cancellationToken).ConfigureAwait(false);
        var candidates = (int)Math.Clamp((long)Saturated(top, options.Skip) * _options.HybridCandidateFactor, 20, int.MaxValue);

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var registration = await RequireRegistrationAsync(connection, "Search", cancellationToken).ConfigureAwait(false);
        var (vectorMatches, _, _) = await VectorMatchesAsync(connection, registration, vectorProperty, query, candidates, options.Filter, cancellationToken).ConfigureAwait(false);
        var keywordMatches = await KeywordMatchesAsync(connection, registration.Version, textProperty, keywords, candidates, options.Filter, cancellationToken).ConfigureAwait(false);
        var fused = ReciprocalRankFusion.Fuse([vectorMatches.Select(m => m.RowId), keywordMatches.Select(m => m.RowId)])
            .Skip(options.Skip)
            .Take(top)
            .Where(m => options.ScoreThreshold is not { } threshold || m.Score >= threshold)
            .ToList();
        foreach (var result in await LoadRankedAsync(connection, fused, includeVectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>
    /// Keyword search alone: BM25 over the full-text indexed property (FTS5), needing no embedding model. The text is
    /// matched as words, never interpreted as FTS syntax. Scores are BM25 relevance, higher is better.
    /// </summary>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> KeywordSearchAsync(string text, int top, HybridSearchOptions<TRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        var textProperty = _schema.Model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var (version, _) = await RequireRegistrationAsync(connection, "KeywordSearch", cancellationToken).ConfigureAwait(false);
        var matches = await KeywordMatchesAsync(connection, version, textProperty, [text], Saturated(top, options.Skip), options.Filter, cancellationToken).ConfigureAwait(false);
        var ranked = matches.Skip(options.Skip).Where(m => options.ScoreThreshold is not { } threshold || m.Score >= threshold).ToList();
        foreach (var result in await LoadRankedAsync(connection, ranked, IncludeVectors(options.IncludeVectors), cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>
    /// Adds the records written since the last catch-up to the full-text index. Writes leave that to this method, which
    /// indexes many records per transaction, several times faster than indexing each as it is written; keyword and
    /// hybrid searches run it first, so their results are always exact. Call it after a bulk write to spare the next
    /// search the wait. A process killed midway loses nothing: the watermark moves in the same transaction as the index.
    /// </summary>
    /// <returns>How many records were indexed.</returns>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public async Task<long> UpdateFullTextIndexAsync(CancellationToken cancellationToken = default)
    {
        if (_schema.FullTextColumns.Count == 0)
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await RequireRegistrationAsync(connection, "UpdateFullTextIndex", cancellationToken).ConfigureAwait(false);
        return await UpdateFullTextIndexAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Writes records inside a caller's transaction (the document store writes a document and its chunks together).</summary>
    internal async Task UpsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<TRecord> records, IReadOnlyDictionary<VectorPropertyModel, Embedding<float>>[]? generated, CancellationToken cancellationToken)
    {
        // The version bump takes the write lock (waiting out other writers), which the statements below then hold.
        await BumpVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var (upsertRecords, upsertVectors) = _mapper.PrepareUpsert(connection);
        using (upsertRecords)
        using (upsertVectors)
        {
            for (var i = 0; i < records.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _mapper.Write(upsertRecords, upsertVectors, records[i], generated?[i]);
            }
        }
    }

    /// <summary>Deletes the records matching <paramref name="filter"/> inside a caller's transaction.</summary>
    internal async Task<int> DeleteWhereAsync(SqliteConnection connection, SqliteTransaction transaction, Expression<Func<TRecord, bool>> filter, CancellationToken cancellationToken)
    {
        var (clause, parameters) = SqliteFilterTranslator.Translate(filter, _schema.Model);
        await BumpVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        using var delete = Command(connection, transaction, $"DELETE FROM {_schema.Table} WHERE {clause}");
        delete.Parameters.AddRange(parameters);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Failure("Open", $"Could not open the vector store '{_metadata.VectorStoreName}': {ex.Message}", ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearVectorCache();
        }

        base.Dispose(disposing);
    }

    private async Task<IReadOnlyDictionary<VectorPropertyModel, Embedding<float>>[]?> GenerateEmbeddingsAsync(IReadOnlyList<TRecord> records, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<VectorPropertyModel, Embedding<float>>[]? generated = null;
        foreach (var property in _schema.Model.VectorProperties.Where(p => !SqliteModelBuilder.IsNativeVectorType(p.Type)))
        {
            var inputs = records.Select(property.GetValueAsObject).ToList();
            var embeddings = await property.GenerateEmbeddingsAsync(inputs!, cancellationToken).ConfigureAwait(false);
            generated ??= [.. records.Select(_ => new Dictionary<VectorPropertyModel, Embedding<float>>())];
            for (var i = 0; i < records.Count; i++)
            {
                ((Dictionary<VectorPropertyModel, Embedding<float>>)generated[i])[property] = (Embedding<float>)embeddings[i];
            }
        }

        return generated;
    }

    private async Task<ReadOnlyMemory<float>> QueryVectorAsync<TInput>(VectorPropertyModel property, TInput searchValue, CancellationToken cancellationToken)
    {
        var vector = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ when property.EmbeddingGenerator is not null => ((Embedding<float>)await property.GenerateEmbeddingAsync(searchValue, cancellationToken).ConfigureAwait(false)).Vector,
            _ => throw new NotSupportedException(VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue!.GetType(), SqliteModelBuilder.SupportedVectorTypes)),
        };

        if (vector.Length != property.Dimensions)
        {
            throw new ArgumentException(
                $"The query vector has {vector.Length} dimensions, but collection '{Name}' stores {property.Dimensions}-dimensional '{property.ModelName}' vectors; embed the query with the model the collection was built with.",
                nameof(searchValue));
        }

        return vector;
    }

    private async Task<((long RowId, float KernelScore)[] Matches, VectorScoring Scoring, float QueryNorm)> VectorMatchesAsync(
        SqliteConnection connection, (long Version, string Vectors) registration, VectorPropertyModel property, ReadOnlyMemory<float> query, int count, Expression<Func<TRecord, bool>>? filter, CancellationToken cancellationToken)
    {
        var (version, vectors) = registration;
        if (vectors != _declaredVectors)
        {
            throw VectorsDiffer("Search", vectors);
        }

        var allowed = filter is null ? null : await RowIdsMatchingAsync(connection, filter, cancellationToken).ConfigureAwait(false);

        // Sizes the matrix on a (re)load; counted once per collection version, and shared with keyword search.
        var rows = await RecordCountAsync(connection, version, cancellationToken).ConfigureAwait(false);
        lock (_vectorsLock)
        {
            if (!_vectors.TryGetValue(property, out var stored) || stored.Version != version)
            {
                stored?.Dispose();
                stored = StoredVectors.Load(connection, _connectionString, _schema, property, version, rows);
                _vectors[property] = stored;
            }

            var prepared = stored.Scoring.PrepareQuery(query.Span, out var queryNorm);
            return (stored.Search(prepared, count, allowed), stored.Scoring, queryNorm);
        }
    }

    private async Task<long> UpdateFullTextIndexAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var indexed = 0L;
        while (true)
        {
            // Read without a lock first: a search on an index that is up to date takes no write lock.
            var (watermark, last) = await FullTextBacklogAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (watermark >= last)
            {
                return indexed;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Again under the write lock: another connection may have caught up meanwhile.
            (watermark, last) = await FullTextBacklogAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var to = Math.Min(last, watermark + FullTextBatchRows);
            if (to > watermark)
            {
                using var catchUp = Command(connection, transaction, _schema.FullTextCatchUp);
                catchUp.Parameters.AddWithValue("$from", watermark);
                catchUp.Parameters.AddWithValue("$to", to);
                indexed += await catchUp.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                using var move = Command(connection, transaction, _schema.FullTextWatermarkMove);
                move.Parameters.AddWithValue("$to", to);
                await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(long Watermark, long LastRowId)> FullTextBacklogAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _schema.FullTextBacklog;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (SqliteException ex) when (transaction is null && ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // A store written before indexing was deferred: its triggers indexed every row. Bringing the schema up to
            // date records that as the watermark and replaces those triggers.
            await EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
            return await FullTextBacklogAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="version">The collection version the caller read, which keys the cached record count.</param>
    private async Task<List<(long RowId, double Score)>> KeywordMatchesAsync(
        SqliteConnection connection, long version, DataPropertyModel property, IEnumerable<string> keywords, int count, Expression<Func<TRecord, bool>>? filter, CancellationToken cancellationToken)
    {
        await UpdateFullTextIndexAsync(connection, cancellationToken).ConfigureAwait(false);
        var terms = FullTextQuery.Terms(keywords, _options.MaxKeywordTerms);
        var match = FullTextQuery.Match(await InformativeTermsAsync(connection, version, terms, cancellationToken).ConfigureAwait(false));
        var matches = new List<(long, double)>();
        if (match is null)
        {
            return matches;
        }

        using var command = connection.CreateCommand();
        var where = string.Empty;
        if (filter is not null)
        {
            var (clause, parameters) = SqliteFilterTranslator.Translate(filter, _schema.Model);
            command.Parameters.AddRange(parameters);
            // The FTS table has no "__id" column: its rowid is the record's row id (content_rowid).
            where = $" AND rowid IN (SELECT {SqliteSchema.Quote(SqliteSchema.RowIdColumn)} FROM {_schema.Table} WHERE {clause})";
        }

        // Restricting the match to one column keeps "hybrid over Text" from matching words in other indexed columns.
        command.CommandText =
            $"SELECT rowid, -bm25({_schema.FullTextTable}) FROM {_schema.FullTextTable} WHERE {_schema.FullTextTable} MATCH $match{where} ORDER BY bm25({_schema.FullTextTable}) LIMIT $count";
        command.Parameters.AddWithValue("$match", $"{SqliteSchema.Quote(property.StorageName)} : ({match})");
        command.Parameters.AddWithValue("$count", count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            matches.Add((reader.GetInt64(0), reader.GetDouble(1)));
        }

        return matches;
    }

    /// <summary>
    /// In a large collection, drops terms held by more than half of the records ("the", "and" …). BM25 gives them no
    /// weight (FTS5 clamps their IDF to almost zero), so the order of what else matches does not change, but scoring
    /// them would visit most of the index on every query. When every term is that common, the rarest one is kept.
    /// </summary>
    private async Task<List<string>> InformativeTermsAsync(SqliteConnection connection, long version, List<string> terms, CancellationToken cancellationToken)
    {
        if (terms.Count < 2)
        {
            return terms;
        }

        // Small collections are cheap to score in full, and there a record that only shares a common word is still
        // worth listing last.
        var records = await RecordCountAsync(connection, version, cancellationToken).ConfigureAwait(false);
        if (records < MinRecordsToPruneTerms)
        {
            return terms;
        }

        using var lookup = connection.CreateCommand();
        lookup.CommandText = $"SELECT doc FROM {_schema.VocabularyTable} WHERE term = $term";
        var term = lookup.Parameters.Add("$term", SqliteType.Text);
        var kept = new List<string>(terms.Count);
        var (rarest, rarestCount) = (terms[0], long.MaxValue);
        foreach (var candidate in terms)
        {
            term.Value = candidate;
            var holders = await lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long count ? count : 0;
            if (holders * 2 <= records)
            {
                kept.Add(candidate);
            }
            else if (holders < rarestCount)
            {
                (rarest, rarestCount) = (candidate, holders);
            }
        }

        return kept.Count > 0 ? kept : [rarest];
    }

    /// <summary>How many records the collection holds, counted once per collection version.</summary>
    private async Task<long> RecordCountAsync(SqliteConnection connection, long version, CancellationToken cancellationToken)
    {
        if (_recordCount is { } cached && cached.Version == version)
        {
            return cached.Count;
        }

        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {_schema.Table}";
        var records = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        _recordCount = (version, records);
        return records;
    }

    private async Task<HashSet<long>> RowIdsMatchingAsync(SqliteConnection connection, Expression<Func<TRecord, bool>> filter, CancellationToken cancellationToken)
    {
        var (clause, parameters) = SqliteFilterTranslator.Translate(filter, _schema.Model);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteSchema.Quote(SqliteSchema.RowIdColumn)} FROM {_schema.Table} WHERE {clause}";
        command.Parameters.AddRange(parameters);
        var rowIds = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rowIds.Add(reader.GetInt64(0));
        }

        return rowIds;
    }

    private async Task<List<VectorSearchResult<TRecord>>> LoadRankedAsync(SqliteConnection connection, IReadOnlyList<(long RowId, double Score)> ranked, bool includeVectors, CancellationToken cancellationToken)
    {
        var results = new List<VectorSearchResult<TRecord>>(ranked.Count);
        if (ranked.Count == 0)
        {
            return results;
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_schema.SelectColumns(includeVectors)} FROM {_schema.From(includeVectors)} WHERE {SqliteSchema.Quote(SqliteSchema.RowIdColumn)} IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", "[" + string.Join(",", ranked.Select(r => r.RowId)) + "]");
        var records = new Dictionary<long, TRecord>();
        await foreach (var (rowId, record) in ReadAsync(command, includeVectors, cancellationToken).ConfigureAwait(false))
        {
            records[rowId] = record;
        }

        foreach (var (rowId, score) in ranked)
        {
            // A row deleted between ranking and loading is simply not returned.
            if (records.TryGetValue(rowId, out var record))
            {
                results.Add(new VectorSearchResult<TRecord>(record, score));
            }
        }

        return results;
    }

    private async IAsyncEnumerable<(long RowId, TRecord Record)> ReadAsync(SqliteCommand command, bool includeVectors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SqliteDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            throw Missing("Get", ex);
        }

        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return _mapper.Read(reader, includeVectors);
            }
        }
    }

    /// <summary>The collection's version and recorded vectors, or null when it does not exist.</summary>
    private async Task<(long Version, string Vectors)?> ReadRegistrationAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version, vectors FROM {SqliteSchema.Quote(SqliteSchema.RegistryTable)} WHERE name = $name";
        command.Parameters.AddWithValue("$name", Name);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetString(1)) : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            // No registry table yet: a store nothing was ever created in.
            return null;
        }
    }

    private async Task<(long Version, string Vectors)> RequireRegistrationAsync(SqliteConnection connection, string operation, CancellationToken cancellationToken) =>
        await ReadRegistrationAsync(connection, cancellationToken).ConfigureAwait(false)
            ?? throw Missing(operation);

    // First statement of every write: it fails clearly on a missing collection, or one whose vectors differ from this
    // definition's, before any table is touched.
    private async Task BumpVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var bump = Command(connection, transaction, $"UPDATE {SqliteSchema.Quote(SqliteSchema.RegistryTable)} SET version = version + 1 WHERE name = $name RETURNING vectors");
        var stored = await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? throw Missing("Write");
        if (stored != _declaredVectors)
        {
            throw VectorsDiffer("Write", stored);
        }
    }

    // top + skip without overflow: top: int.MaxValue means "all", and must not wrap to a negative count.
    private static int Saturated(int top, int skip) => (int)Math.Min(int.MaxValue, (long)top + skip);

    private bool IncludeVectors(bool requested) =>
        requested && _schema.Model.EmbeddingGenerationRequired
            ? throw new NotSupportedException(VectorDataStrings.IncludeVectorsNotSupportedWithEmbeddingGeneration)
            : requested;

    private SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (sql.Contains("$name", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$name", Name);
        }

        return command;
    }

    private async Task<bool> FullTextIndexExistsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $table COLLATE NOCASE");
        command.Parameters.AddWithValue("$table", _schema.FullTextTableName);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ClearVectorCache()
    {
        lock (_vectorsLock)
        {
            foreach (var stored in _vectors.Values)
            {
                stored.Dispose();
            }

            _vectors.Clear();
        }
    }

    private VectorStoreException VectorsDiffer(string operation, string? stored) =>
        Failure(
            operation,
            $"Collection '{Name}' stores vectors {stored}, but this definition declares {_declaredVectors}; use the definition it was created with, another collection name, or delete the collection first.");

    private VectorStoreException Missing(string operation, Exception? inner = null) =>
        Failure(operation, $"Collection '{Name}' does not exist; create it (EnsureCollectionExistsAsync) or ingest into it first.", inner);

    private VectorStoreException Failure(string operation, string message, Exception? inner = null) =>
        new(message, inner!)
        {
            VectorStoreSystemName = SystemName,
            VectorStoreName = _metadata.VectorStoreName,
            CollectionName = Name,
            OperationName = operation,
        };
}
