namespace Agents.Retrieval.Vectors;

/// <summary>
/// Approximate scores from int8 codes: the integer dot product of row and query codes, less the part the rows'
/// +128 offset adds (<paramref name="codeOffset"/> = 128 · Σ query codes), times the query's scale.
/// </summary>
internal readonly unsafe struct Int8RowScorer(Int8DotKernel kernel, sbyte* query, short* wideQuery, byte* rows, int stride, long codeOffset, float scale)
    : IRowScorer
{
    public int BytesPerRow => stride;

    public void Score(int firstRow, int count, float* scores)
    {
        // The integers go into the score buffer and each becomes its float in place: same size, same slot.
        var dots = (int*)scores;
        Int8DotProducts.Score(kernel, query, wideQuery, rows + ((nint)firstRow * stride), stride, count, dots);
        for (var i = 0; i < count; i++)
        {
            scores[i] = (dots[i] - codeOffset) * scale;
        }
    }
}
