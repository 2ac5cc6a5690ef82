namespace Agents.Retrieval.Vectors;

/// <summary>The checks every search makes at its public edge.</summary>
internal static class SearchArguments
{
    /// <summary>Throws on a bad argument; returns the most threads the search may use.</summary>
    public static int Check(VectorMatrix matrix, ReadOnlySpan<float> query, int top, VectorSearchOptions? options)
    {
        matrix.CheckDimensions(query, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        if (options is null)
        {
            return Environment.ProcessorCount;
        }

        if (!options.Bias.IsEmpty && options.Bias.Length != matrix.Count)
        {
            throw new ArgumentException($"The bias has {options.Bias.Length} values but the matrix has {matrix.Count} rows.", nameof(options));
        }

        if (options.FloatKernel is { } kernel && !FloatDotProducts.IsSupported(kernel))
        {
            throw new ArgumentException($"This processor does not run the {kernel} float kernel.", nameof(options));
        }

        var degree = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;
        if (degree <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), degree, "MaxDegreeOfParallelism must be positive.");
        }

        return degree;
    }
}
