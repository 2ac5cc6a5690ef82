namespace Agents.Retrieval.Ingest;

/// <summary>Where an ingest stands, reported before each file and once at the end.</summary>
/// <param name="Current">The source being worked on; null once done.</param>
public sealed record IngestProgress(int FilesDone, int FilesTotal, long ChunksWritten, string? Current, TimeSpan Elapsed)
{
    /// <summary>Passages written per second so far.</summary>
    public double ChunksPerSecond => Elapsed > TimeSpan.Zero ? ChunksWritten / Elapsed.TotalSeconds : 0;
}
