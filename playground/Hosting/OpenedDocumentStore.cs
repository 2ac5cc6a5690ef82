using Agents.Retrieval;
using Microsoft.Extensions.AI;

namespace Agents.Playground.Hosting;

/// <summary>
/// A document store opened for the console with the embedding model it needs: the one the flags name, else the
/// one the store recorded (queries must be embedded by the model that made the store's vectors).
/// </summary>
internal sealed class OpenedDocumentStore : IDisposable
{
    private OpenedDocumentStore(DocumentStore store, IEmbeddingGenerator<string, Embedding<float>>? generator, string? model)
    {
        Store = store;
        Generator = generator;
        Model = model;
    }

    public DocumentStore Store { get; }

    /// <summary>Null when opened for keyword search only.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Generator { get; }

    public string? Model { get; }

    /// <param name="withEmbeddings">False for keyword search, which needs no model (and no server).</param>
    /// <param name="create">Create the file if missing (ingest) instead of failing (search).</param>
    public static async Task<OpenedDocumentStore> OpenAsync(string path, EmbeddingFlags flags, bool withEmbeddings, bool create, DocumentSearchMode mode, CancellationToken cancellationToken)
    {
        if (!create && !File.Exists(path))
        {
            throw new UsageException($"There is no document store at '{path}'; create one with 'agents ingest {path} FILES...'.");
        }

        if (!withEmbeddings)
        {
            return new(await DocumentStore.OpenAsync(path, new DocumentStoreOptions { DefaultMode = mode }, cancellationToken).ConfigureAwait(false), null, null);
        }

        string model;
        using (var probe = await DocumentStore.OpenAsync(path, new DocumentStoreOptions { CreateIfMissing = create }, cancellationToken).ConfigureAwait(false))
        {
            model = flags.ResolveModel(probe.EmbeddingModel, Environment.GetEnvironmentVariable);
        }

        var generator = flags.Create(model, Environment.GetEnvironmentVariable);

        // The generator's own id is the canonical one ("hash" is recorded as "hash-384").
        model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? model;
        try
        {
            var options = new DocumentStoreOptions { EmbeddingGenerator = generator, EmbeddingModelId = model, DefaultMode = mode };
            return new(await DocumentStore.OpenAsync(path, options, cancellationToken).ConfigureAwait(false), generator, model);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        Generator?.Dispose();
    }
}
