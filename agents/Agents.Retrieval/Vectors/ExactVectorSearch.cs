using System.Numerics.Tensors;

namespace Agents.Retrieval.Vectors;

/// <summary>Placeholder replaced by the vectors branch.</summary>
public static class ExactVectorSearch
{
    public static VectorMatch[] Search(VectorMatrix matrix, ReadOnlySpan<float> query, int top, ulong[]? filter = null, ReadOnlySpan<float> bias = default)
    {
        var all = new List<VectorMatch>();
        for (var row = 0; row < matrix.Count; row++)
        {
            if (filter is not null && (filter[row >> 6] & (1UL << row)) == 0)
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, matrix.GetRow(row)) + (bias.IsEmpty ? 0 : bias[row]);
            all.Add(new VectorMatch(row, score));
        }

        return [.. all.OrderByDescending(m => m.Score).ThenBy(m => m.Row).Take(top)];
    }
}
