namespace Agents.Steps;

/// <summary>One passage a retrieval returned, as the trace records it.</summary>
public sealed record RetrievalHit(string Id, string Source, double Score);
