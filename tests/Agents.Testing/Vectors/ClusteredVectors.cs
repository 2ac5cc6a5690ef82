namespace Agents.Testing.Vectors;

/// <summary>
/// Unit vectors scattered around random centroids, like embeddings of documents on a limited set of topics: the
/// nearest rows to a query sit in one cluster with scores close together, which is what makes approximate search
/// hard, unlike uniform noise. Deterministic for a seed.
/// </summary>
public sealed class ClusteredVectors
{
    private readonly float[][] _centroids;
    private readonly float _noisePerDimension;
    private readonly Random _random;

    /// <param name="spread">The noise's length relative to the unit centroid before normalising: 0.75 puts a vector's cosine with its centroid near 0.8.</param>
    public ClusteredVectors(int dimensions, int clusters, float spread, int seed)
    {
        _random = new Random(seed);
        _noisePerDimension = spread / MathF.Sqrt(dimensions);
        _centroids = new float[clusters][];
        for (var c = 0; c < clusters; c++)
        {
            _centroids[c] = new float[dimensions];
            FillGaussian(_centroids[c], 1);
            Normalize(_centroids[c]);
        }
    }

    public int Dimensions => _centroids[0].Length;

    /// <summary>Writes the next vector: a random centroid plus Gaussian noise, normalised to length 1.</summary>
    public void Next(Span<float> destination)
    {
        var centroid = _centroids[_random.Next(_centroids.Length)];
        FillGaussian(destination, _noisePerDimension);
        for (var d = 0; d < destination.Length; d++)
        {
            destination[d] += centroid[d];
        }

        Normalize(destination);
    }

    public float[] Next()
    {
        var vector = new float[Dimensions];
        Next(vector);
        return vector;
    }

    private void FillGaussian(Span<float> destination, float deviation)
    {
        // Box–Muller: two uniform draws make two independent standard normal values.
        for (var d = 0; d < destination.Length; d += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * deviation;
            var angle = 2 * Math.PI * _random.NextDouble();
            destination[d] = (float)(radius * Math.Cos(angle));
            if (d + 1 < destination.Length)
            {
                destination[d + 1] = (float)(radius * Math.Sin(angle));
            }
        }
    }

    private static void Normalize(Span<float> vector)
    {
        var squares = 0.0;
        foreach (var value in vector)
        {
            squares += (double)value * value;
        }

        var length = (float)Math.Sqrt(squares);
        for (var d = 0; d < vector.Length; d++)
        {
            vector[d] /= length;
        }
    }
}
