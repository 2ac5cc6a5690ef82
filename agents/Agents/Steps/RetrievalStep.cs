namespace Agents.Steps;

/// <summary>Documents were retrieved for <paramref name="Query"/>, before answering or by a retrieval tool.</summary>
public sealed record RetrievalStep(string Query, IReadOnlyList<RetrievalHit> Hits) : AgentStep;
