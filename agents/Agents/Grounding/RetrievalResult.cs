namespace Agents.Grounding;

/// <summary>
/// What a retrieval tool returns. A tool (any <c>KernelFunction</c>) whose result is one of these is shown to the
/// model as a documents block, recorded as a <c>retrieval</c> step, and its passages become citable in the answer.
/// </summary>
public sealed record RetrievalResult(string Query, IReadOnlyList<RetrievedPassage> Passages);
