namespace Agents.Retrieval.Documents;

/// <summary>Limits for <see cref="DocumentReaders"/>; the defaults bound what one hostile or mistaken file can cost.</summary>
public sealed class DocumentReaderOptions
{
    /// <summary>
    /// Files larger than this many bytes are refused with a <see cref="DocumentReadException"/> (default 50 MB).
    /// Parsing holds the whole file and its text in memory, several times its size for PDF and HTML.
    /// </summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024;
}
