namespace Agents.Retrieval.Vectors;

/// <summary>A row of a <see cref="VectorMatrix"/> and its score: the dot product with the query plus the row's bias, if any.</summary>
public readonly record struct VectorMatch(int Row, float Score);
