using Agents.Retrieval.Sqlite;
using Agents.Testing;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>A <see cref="SqliteVectorStore"/> in its own temp folder, deleted with the folder on dispose.</summary>
public sealed class TempStore : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<SqliteVectorStore> _stores = [];

    public TempStore(SqliteVectorStoreOptions? options = null)
    {
        Path = _folder.PathOf("store.db");
        Store = Open(options);
    }

    public string Path { get; }

    public SqliteVectorStore Store { get; }

    /// <summary>Another store on the same file, as a second process would open it.</summary>
    public SqliteVectorStore Open(SqliteVectorStoreOptions? options = null)
    {
        var store = new SqliteVectorStore(Path, options);
        _stores.Add(store);
        return store;
    }

    /// <summary>The "notes" collection (or <paramref name="name"/>), created, holding <paramref name="notes"/>.</summary>
    public async Task<SqliteVectorStoreCollection<string, Note>> NotesAsync(IEnumerable<Note>? notes = null, string name = "notes")
    {
        var collection = Store.GetCollection<string, Note>(name);
        await collection.EnsureCollectionExistsAsync();
        if (notes is not null)
        {
            await collection.UpsertAsync(notes);
        }

        return collection;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _folder.Dispose();
    }
}
