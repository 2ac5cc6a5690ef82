namespace Agents.Retrieval.Ingest;

/// <summary>A file ingest could not read; the others were still ingested.</summary>
public sealed record IngestFailure(string Source, string Message);
