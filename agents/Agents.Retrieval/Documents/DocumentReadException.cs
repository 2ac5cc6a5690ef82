namespace Agents.Retrieval.Documents;

/// <summary>A file could not be read as a document: too large, corrupt, or encrypted. The message names the file and says why.</summary>
public sealed class DocumentReadException : Exception
{
    public DocumentReadException(string message, string documentSource, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(documentSource);
        DocumentSource = documentSource;
    }

    /// <summary>The file's name or path, as it was given to the reader.</summary>
    public string DocumentSource { get; }
}
