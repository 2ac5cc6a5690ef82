using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Sqlite;

/// <summary>
/// A Microsoft.Extensions.VectorData store in one SQLite file. Code written against <see cref="VectorStore"/> runs on
/// it unchanged, and code written against it runs on any other VectorData connector (pgvector, Qdrant …).
/// </summary>
/// <example>
/// <code>
/// using var store = new SqliteVectorStore("docs.db");
/// var notes = store.GetCollection&lt;string, Note&gt;("notes");
/// await notes.EnsureCollectionExistsAsync();
/// await notes.UpsertAsync(new Note { Id = "1", Text = "…", Vector = embedding });
/// await foreach (var hit in notes.SearchAsync(queryVector, top: 5)) { … }
/// </code>
/// </example>
public sealed class SqliteVectorStore : VectorStore
{
    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly SqliteVectorStoreOptions _options;
    private readonly VectorStoreMetadata _metadata;

    /// <summary>Opens (creating on first write) the store in the SQLite file at <paramref name="path"/>.</summary>
    public SqliteVectorStore(string path, SqliteVectorStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _options = options ?? new SqliteVectorStoreOptions();
        _options.Validate();
        _dataSource = System.IO.Path.GetFullPath(path);
        _connectionString = ConnectionString(_dataSource, _options.BusyTimeout);
        _metadata = new VectorStoreMetadata { VectorStoreSystemName = SqliteVectorStoreCollection<string, object>.SystemName, VectorStoreName = _dataSource };
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string Path => _dataSource;

    /// <inheritdoc />
    public override SqliteVectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (typeof(TRecord) == typeof(Dictionary<string, object?>))
        {
            throw new NotSupportedException(VectorDataStrings.GetCollectionWithDictionaryNotSupported);
        }

        var model = new SqliteModelBuilder().Build(typeof(TRecord), typeof(TKey), definition, _options.EmbeddingGenerator);
        return new SqliteVectorStoreCollection<TKey, TRecord>(_connectionString, _dataSource, name, model, _options);
    }

    /// <inheritdoc />
    public override SqliteVectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(definition);
        var model = new SqliteModelBuilder().BuildDynamic(definition, _options.EmbeddingGenerator);
        return new SqliteVectorStoreCollection<object, Dictionary<string, object?>>(_connectionString, _dataSource, name, model, _options);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{SqliteSchema.RegistryTable}'";
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            yield break;
        }

        command.CommandText = $"SELECT name FROM {SqliteSchema.Quote(SqliteSchema.RegistryTable)} ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.GetString(0);
        }
    }

    /// <inheritdoc />
    public override async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        await foreach (var existing in ListCollectionNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(existing, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override async Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        using var collection = GetDynamicCollection(name, new VectorStoreCollectionDefinition { Properties = [new VectorStoreKeyProperty("key", typeof(string))] });
        await collection.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    internal static string ConnectionString(string path, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
    }.ToString();
}
