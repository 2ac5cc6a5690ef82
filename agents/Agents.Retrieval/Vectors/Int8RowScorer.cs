using System.Runtime.Intrinsics;

namespace Agents.Retrieval.Vectors;

/// <summary>
/// Approximate scores from int8 codes: the integer dot product of row and query codes, less the part the rows'
/// +128 offset adds (<paramref name="codeOffset"/> = 128 · Σ query codes), times the query's scale. The difference is
/// the signed codes' dot product, at most 127 · 127 · 65,536 in magnitude, so int32 holds it even where the
/// subtraction's operands wrap.
/// </summary>
internal readonly unsafe struct Int8RowScorer(Int8DotKernel kernel, sbyte* query, short* wideQuery, byte* blocks, int stride, int codeOffset, float scale)
    : IRowScorer
{
    public int BytesPerRow => stride;

    public void Score(int firstRow, int count, float* scores)
    {
        // The integers go into the score buffer and each becomes its float in place: same size, same slot.
        var dots = (int*)scores;
        Int8DotProducts.Score(kernel, query, wideQuery, blocks, stride, firstRow, count, dots);
        var i = 0;
        for (; i + Vector128<int>.Count <= count; i += Vector128<int>.Count)
        {
            (Vector128.ConvertToSingle(Vector128.Load(dots + i) - Vector128.Create(codeOffset)) * scale).Store(scores + i);
        }

        for (; i < count; i++)
        {
            scores[i] = (dots[i] - codeOffset) * scale;
        }
    }
}
