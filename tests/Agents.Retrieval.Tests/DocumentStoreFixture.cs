using Agents.Testing;

namespace Agents.Retrieval.Tests;

/// <summary>Builds document stores in a temp folder from (source, passage texts) pairs, embedded by concepts.</summary>
internal sealed class DocumentStoreFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public ConceptEmbeddingGenerator Embeddings { get; } = new();

    public string PathOf(string name) => Path.Combine(_folder.Path, name);

    public Task<DocumentStore> OpenAsync(string name = "docs.db", bool withEmbeddings = true, bool create = true) =>
        DocumentStore.OpenAsync(PathOf(name), new DocumentStoreOptions { EmbeddingGenerator = withEmbeddings ? Embeddings : null, CreateIfMissing = create });

    public async Task WriteAsync(DocumentStore store, string source, params string[] passages)
    {
        var vectors = await Embeddings.GenerateAsync(passages);
        var chunks = passages.Select((text, i) => new DocumentChunk
        {
            Id = DocumentChunk.IdFor(source, i),
            Source = source,
            Index = i,
            HeadingPath = i == 0 ? null : "Section " + i,
            Start = i * 1000,
            End = (i * 1000) + text.Length,
            Text = text,
            Embedding = vectors[i].Vector,
        }).ToList();
        await store.WriteDocumentAsync(new StoredDocument(source, "hash-of-" + string.Join("|", passages).GetHashCode(), null, chunks.Count, 100, DateTimeOffset.UnixEpoch), chunks);
    }

    public void Dispose() => _folder.Dispose();
}
