namespace Agents.Retrieval.Documents;

/// <summary>
/// Picks the reader for a file by its extension (.txt, .md/.markdown, .html/.htm, .pdf by default) and applies the
/// size cap of <see cref="DocumentReaderOptions"/> before anything is parsed.
/// </summary>
public sealed class DocumentReaders
{
    private readonly Dictionary<string, IDocumentReader> _byExtension = new(StringComparer.OrdinalIgnoreCase);
    private readonly long _maxBytes;

    /// <summary>The built-in readers: plain text, Markdown, HTML and PDF.</summary>
    public DocumentReaders(DocumentReaderOptions? options = null)
        : this([new PlainTextDocumentReader(), new MarkdownDocumentReader(), new HtmlDocumentReader(), new PdfDocumentReader()], options)
    {
    }

    /// <summary>Your own set of readers; a later reader wins an extension an earlier one also claims.</summary>
    public DocumentReaders(IEnumerable<IDocumentReader> readers, DocumentReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(readers);
        _maxBytes = (options ?? new DocumentReaderOptions()).MaxBytes;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_maxBytes, nameof(DocumentReaderOptions.MaxBytes));
        foreach (var reader in readers)
        {
            ArgumentNullException.ThrowIfNull(reader, nameof(readers));
            foreach (var extension in reader.Extensions)
            {
                _byExtension[extension] = reader;
            }
        }

        SupportedExtensions = [.. _byExtension.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The extensions a reader exists for, sorted, each with its dot.</summary>
    public IReadOnlyList<string> SupportedExtensions { get; }

    /// <summary>Whether a reader exists for <paramref name="path"/>'s extension; lets a folder walk skip other files.</summary>
    public bool CanRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _byExtension.ContainsKey(Path.GetExtension(path));
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">No reader handles the file's extension.</exception>
    /// <exception cref="DocumentReadException">The file is over the size cap, or is not readable as its format.</exception>
    public async Task<ParsedDocument> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var reader = ReaderFor(path);

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        // The length is checked before reading and the read is bounded too, in case the file grows meanwhile.
        ThrowIfTooLarge(file.Length, path);
        var content = new byte[file.Length];
        var read = await file.ReadAtLeastAsync(content, content.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return reader.Read(content.AsMemory(0, read), path, cancellationToken);
    }

    /// <summary>Parses bytes already in memory (an ingest that hashed them, say); <paramref name="source"/>'s extension picks the reader.</summary>
    /// <exception cref="NotSupportedException">No reader handles the extension of <paramref name="source"/>.</exception>
    /// <exception cref="DocumentReadException">The content is over the size cap, or is not readable as its format.</exception>
    public ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var reader = ReaderFor(source);
        ThrowIfTooLarge(content.Length, source);
        return reader.Read(content, source, cancellationToken);
    }

    private IDocumentReader ReaderFor(string source)
    {
        var extension = Path.GetExtension(source);
        if (_byExtension.TryGetValue(extension, out var reader))
        {
            return reader;
        }

        var what = extension.Length == 0 ? "has no extension" : $"is a '{extension}' file";
        throw new NotSupportedException($"Cannot read '{source}': it {what}; supported: {string.Join(", ", SupportedExtensions)}.");
    }

    private void ThrowIfTooLarge(long length, string source)
    {
        if (length > _maxBytes)
        {
            throw new DocumentReadException(
                $"Cannot read '{source}': it is {Megabytes(length)}, over the {Megabytes(_maxBytes)} limit; split it or raise MaxBytes.",
                source);
        }
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
