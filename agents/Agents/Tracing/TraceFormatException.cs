namespace Agents.Tracing;

/// <summary>A trace file has a line that is not a trace event; the message names the file and line.</summary>
public sealed class TraceFormatException : FormatException
{
    public TraceFormatException(string path, long lineNumber, string reason, Exception? innerException = null)
        : base($"{path}:{lineNumber}: {reason}", innerException)
    {
        Path = path;
        LineNumber = lineNumber;
    }

    public string Path { get; }

    /// <summary>1-based line number in the file.</summary>
    public long LineNumber { get; }
}
