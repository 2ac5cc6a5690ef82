using System.Numerics.Tensors;

namespace Agents.Retrieval.Vectors;

/// <summary>Scaling vectors to length 1, so that a dot product is their cosine.</summary>
internal static class UnitVector
{
    /// <summary>Scales <paramref name="vector"/> in place to length 1; a zero vector stays zero (it has no direction).</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
