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
    /// <exception cref="UsageException">No store there, a file that is not a store, or a model that cannot be used with it.</exception>
    public static async Task<OpenedDocumentStore> OpenAsync(string path, EmbeddingFlags flags, bool withEmbeddings, bool create, DocumentSearchMode mode, CancellationToken cancellationToken)
    {
        var exists = File.Exists(path);
        if (!create && !exists)
        {
            throw new UsageException($"There is no document store at '{path}'; create one with 'agents ingest {path} FILES...'.");
        }

        if (!withEmbeddings)
        {
            return new(await OpenStoreAsync(path, new DocumentStoreOptions { DefaultMode = mode }, cancellationToken).ConfigureAwait(false), null, null);
        }

        // A new store's file is made only once its model is known to be usable, so a wrong flag leaves nothing behind.
        string? storeModel = null;
        if (exists)
        {
            using var probe = await OpenStoreAsync(path, new DocumentStoreOptions { CreateIfMissing = create }, cancellationToken).ConfigureAwait(false);
            storeModel = probe.EmbeddingModel;
        }

        var model = flags.ResolveModel(storeModel, Environment.GetEnvironmentVariable);
        var generator = flags.Create(model, Environment.GetEnvironmentVariable);

        // The generator's own id is the canonical one ("hash" is recorded as "hash-384").
        model = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? model;
        try
        {
            var options = new DocumentStoreOptions { EmbeddingGenerator = generator, EmbeddingModelId = model, DefaultMode = mode, CreateIfMissing = create };
            return new(await OpenStoreAsync(path, options, cancellationToken).ConfigureAwait(false), generator, model);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the store; its refusals (not a store, a newer schema, another model than its vectors') are about what the
    /// user gave, so they are usage errors, already worded as one sentence.
    /// </summary>
    private static async Task<DocumentStore> OpenStoreAsync(string path, DocumentStoreOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await DocumentStore.OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or EmbeddingModelMismatchException)
        {
            throw new UsageException(ex.Message);
        }
    }

    public void Dispose()
    {
        Store.Dispose();
        Generator?.Dispose();
    }
}
