using Agents.Retrieval.Documents;
using Microsoft.ML.Tokenizers;

namespace Agents.Retrieval.Ingest;

/// <summary>Settings of a <see cref="DocumentIngestor"/>.</summary>
public sealed class IngestOptions
{
    /// <summary>Passage size and overlap, in tokens of <see cref="Tokenizer"/>.</summary>
    public ChunkingOptions Chunking { get; set; } = new();

    /// <summary>
    /// The embedding model's tokenizer, which passages are measured with; by default cl100k, the tokenizer of
    /// OpenAI's embedding models.
    /// </summary>
    public Tokenizer? Tokenizer { get; set; }

    /// <summary>File size cap and which formats are read.</summary>
    public DocumentReaderOptions Readers { get; set; } = new();

    /// <summary>Passages sent to the embedding model per request. Default 64.</summary>
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>
    /// Sources are recorded relative to this folder when the file is inside it (so citations read
    /// <c>docs/guide.md#3</c>), and as full paths otherwise. Default: the current directory.
    /// </summary>
    public string? SourceRoot { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
