using Microsoft.Extensions.AI;

namespace Agents.Retrieval;

/// <summary>Settings of a <see cref="DocumentStore"/>.</summary>
public sealed class DocumentStoreOptions
{
    /// <summary>
    /// Embeds passages on ingest and queries on search. The store records the model it was built with and refuses
    /// another; keyword search needs none.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; set; }

    /// <summary>The id recorded for <see cref="EmbeddingGenerator"/>; by default the generator's own model id.</summary>
    public string? EmbeddingModelId { get; set; }

    /// <summary>Create the file when it does not exist (ingest); otherwise a missing file is an error (search).</summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>The ranking <see cref="DocumentStore.RetrieveAsync"/> uses. Default hybrid.</summary>
    public DocumentSearchMode DefaultMode { get; set; } = DocumentSearchMode.Hybrid;

    /// <summary>Longest query accepted, in characters. Default 4,096.</summary>
    public int MaxQueryLength { get; set; } = 4096;

    /// <summary>How long a write waits for another writer. Default 10 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
