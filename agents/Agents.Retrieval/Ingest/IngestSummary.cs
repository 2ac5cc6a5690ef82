namespace Agents.Retrieval.Ingest;

/// <summary>What an ingest did.</summary>
/// <param name="Unchanged">Files whose content hash matched the store: skipped.</param>
public sealed record IngestSummary(int Files, int Added, int Updated, int Unchanged, long Chunks, TimeSpan Elapsed, IReadOnlyList<IngestFailure> Failures);
