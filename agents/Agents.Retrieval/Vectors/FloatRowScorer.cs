namespace Agents.Retrieval.Vectors;

/// <summary>Float32 dot products of a query with rows of a <see cref="VectorMatrix"/> block.</summary>
internal readonly unsafe struct FloatRowScorer(FloatDotKernel kernel, float* query, float* rows, int stride) : IRowScorer
{
    public int BytesPerRow => stride * sizeof(float);

    public void Score(int firstRow, int count, float* scores) =>
        FloatDotProducts.Score(kernel, query, rows + ((nint)firstRow * stride), stride, count, scores);
}
