namespace Agents.Retrieval.Vectors;

public readonly record struct VectorMatch(int Row, float Score);
