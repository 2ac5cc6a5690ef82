namespace Agents.Retrieval;

/// <summary>A document as a store records it: the unit ingest replaces atomically.</summary>
/// <param name="ContentHash">SHA-256 of the file's bytes (hex): unchanged files are skipped on re-ingest.</param>
public sealed record StoredDocument(string Source, string ContentHash, string? Title, int Chunks, long Bytes, DateTimeOffset IngestedAt);
