using System.Security.Cryptography;
using Agents.Retrieval.Documents;
using Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Agents.Retrieval.Ingest;

/// <summary>
/// Adds files and folders to a <see cref="DocumentStore"/>: read (txt, md, html, pdf), split into passages by
/// structure, embed, and write each document in one transaction. Unchanged files (same SHA-256) are skipped, so
/// an ingest that was killed midway is completed by running it again.
/// </summary>
public sealed class DocumentIngestor
{
    private readonly DocumentStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly IngestOptions _options;
    private readonly DocumentReaders _readers;
    private readonly DocumentChunker _chunker;
    private readonly string _sourceRoot;

    public DocumentIngestor(DocumentStore store, IEmbeddingGenerator<string, Embedding<float>> embeddings, IngestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(embeddings);
        _options = options ?? new IngestOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.EmbeddingBatchSize, 1);
        ArgumentNullException.ThrowIfNull(_options.TimeProvider);
        _store = store;
        _embeddings = embeddings;
        _readers = new DocumentReaders(_options.Readers);
        _chunker = new DocumentChunker(_options.Tokenizer ?? TiktokenTokenizer.CreateForEncoding(TiktokenTokenCounter.Cl100kBase), _options.Chunking);
        _sourceRoot = Path.GetFullPath(_options.SourceRoot ?? Directory.GetCurrentDirectory());
    }

    /// <summary>Ingests <paramref name="paths"/>: files, and folders searched recursively for readable files.</summary>
    /// <exception cref="FileNotFoundException">A path does not exist (checked before anything is written).</exception>
    public async Task<IngestSummary> IngestAsync(IEnumerable<string> paths, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = FindFiles(paths);
        var started = _options.TimeProvider.GetTimestamp();
        var (added, updated, unchanged, chunks) = (0, 0, 0, 0L);
        var failures = new List<IngestFailure>();
        for (var i = 0; i < files.Count; i++)
        {
            var source = SourceOf(files[i]);
            progress?.Report(new IngestProgress(i, files.Count, chunks, source, _options.TimeProvider.GetElapsedTime(started)));
            try
            {
                var written = await IngestFileAsync(files[i], source, cancellationToken).ConfigureAwait(false);
                switch (written)
                {
                    case null:
                        unchanged++;
                        break;
                    case { Replaced: true }:
                        updated++;
                        break;
                    default:
                        added++;
                        break;
                }

                chunks += written?.Chunks ?? 0;
            }
            catch (Exception ex) when (ex is DocumentReadException or NotSupportedException or IOException or UnauthorizedAccessException)
            {
                // One unreadable file does not stop the others; the summary lists it.
                failures.Add(new IngestFailure(source, ex.Message));
            }
        }

        // Passages are written without their keyword index entries; one bulk step adds them all.
        await _store.UpdateFullTextIndexAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = _options.TimeProvider.GetElapsedTime(started);
        progress?.Report(new IngestProgress(files.Count, files.Count, chunks, null, elapsed));
        return new IngestSummary(files.Count, added, updated, unchanged, chunks, elapsed, failures);
    }

    /// <summary>Null when the store already holds this content.</summary>
    private async Task<(int Chunks, bool Replaced)?> IngestFileAsync(string path, string source, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length > _options.Readers.MaxBytes)
        {
            throw new DocumentReadException($"Cannot read '{source}': it is {length:N0} bytes, over the {_options.Readers.MaxBytes:N0}-byte limit.", source);
        }

        var content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var existing = await _store.GetDocumentAsync(source, cancellationToken).ConfigureAwait(false);
        if (existing?.ContentHash == hash)
        {
            return null;
        }

        var document = _readers.Read(content, source, cancellationToken);
        var pieces = _chunker.Chunk(document, cancellationToken);
        var chunks = new List<DocumentChunk>(pieces.Count);
        foreach (var batch in pieces.Chunk(_options.EmbeddingBatchSize))
        {
            var embeddings = await _embeddings.GenerateAsync(batch.Select(p => p.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"The embedding model returned {embeddings.Count} vectors for {batch.Length} passages of '{source}'.");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                var piece = batch[i];
                chunks.Add(new DocumentChunk
                {
                    Id = DocumentChunk.IdFor(source, piece.Index),
                    Source = source,
                    Index = piece.Index,
                    Title = document.Title,
                    HeadingPath = piece.HeadingPath,
                    Page = piece.Page,
                    Start = piece.Start,
                    End = piece.End,
                    Text = piece.Text,
                    Embedding = embeddings[i].Vector,
                });
            }
        }

        var record = new StoredDocument(source, hash, document.Title, chunks.Count, content.Length, _options.TimeProvider.GetUtcNow());
        await _store.WriteDocumentAsync(record, chunks, cancellationToken).ConfigureAwait(false);
        return (chunks.Count, existing is not null);
    }

    private List<string> FindFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                // A file named explicitly is ingested or reported, whatever its extension.
                if (seen.Add(full))
                {
                    files.Add(full);
                }
            }
            else if (Directory.Exists(full))
            {
                var found = Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
                    .Where(f => _readers.CanRead(f) && !IsInHiddenFolder(full, f))
                    .Order(StringComparer.Ordinal);
                files.AddRange(found.Where(seen.Add));
            }
            else
            {
                throw new FileNotFoundException($"'{path}' is neither a file nor a folder; nothing was ingested.", path);
            }
        }

        return files;
    }

    // Dot-folders (.git, .venv …) hold tooling, not documents; Unix does not mark them hidden by attribute.
    private static bool IsInHiddenFolder(string root, string file) =>
        Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.') && part != "." && part != "..");

    private string SourceOf(string file)
    {
        var relative = Path.GetRelativePath(_sourceRoot, file);
        var source = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative;
        return source.Replace('\\', '/');
    }
}
