namespace Agents.Retrieval.Documents;

/// <summary>Reads one file format into a <see cref="ParsedDocument"/>.</summary>
public interface IDocumentReader
{
    /// <summary>The file extensions this reader handles, lower case with the dot (e.g. <c>.md</c>).</summary>
    IReadOnlyCollection<string> Extensions { get; }

    /// <summary>
    /// Parses a file's bytes. The bytes are taken whole rather than as a stream because every format here needs
    /// all of them (a text file's encoding is sniffed, a PDF is read from its end), and because an ingest hashes the
    /// same bytes it parses.
    /// </summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="source">The file's name or path, used as <see cref="ParsedDocument.Source"/> and in errors.</param>
    /// <exception cref="DocumentReadException">The content is not a readable document of this format.</exception>
    ParsedDocument Read(ReadOnlyMemory<byte> content, string source, CancellationToken cancellationToken = default);
}
