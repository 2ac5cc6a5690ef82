namespace Agents.Retrieval;

/// <summary>What a document store holds.</summary>
public sealed record DocumentStoreStatistics(int Documents, int Chunks, string? EmbeddingModel, int? Dimensions);
