namespace Agents.Retrieval.Vectors;

/// <summary>
/// Exact top-k by dot product (plus an optional per-row bias) over every row of a <see cref="VectorMatrix"/>:
/// one streaming pass through the contiguous block, rows scored by a SIMD kernel with no call per row, kept in a
/// bounded heap, on all cores when the matrix is large enough to repay a second thread.
/// </summary>
public static class ExactVectorSearch
{
    /// <summary>
    /// The <paramref name="top"/> best rows, best first; equal scores rank the lower row first. Fewer when the
    /// matrix or the filter has fewer rows.
    /// </summary>
    public static unsafe VectorMatch[] Search(VectorMatrix matrix, ReadOnlySpan<float> query, int top, VectorSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var degree = SearchArguments.Check(matrix, query, top, options);
        var block = matrix.Block;
        if (matrix.Count == 0)
        {
            return [];
        }

        using var alignedQuery = new AlignedScratch<float>(matrix.Stride);
        query.CopyTo(alignedQuery.Span);
        var scorer = new FloatRowScorer(options?.FloatKernel ?? FloatDotProducts.Widest, alignedQuery.Pointer, block.Pointer, matrix.Stride);
        var matches = RowScan.Collect(scorer, matrix.Count, Math.Min(top, matrix.Count), options?.Filter, options?.Bias ?? default, degree);
        GC.KeepAlive(block);
        return matches.ToArray();
    }
}
