namespace Agents.Retrieval.Vectors;

/// <summary>Options of one vector search; the defaults search every row on every core.</summary>
public class VectorSearchOptions
{
    /// <summary>Only rows the filter contains may match; <see langword="null"/> lets every row through.</summary>
    public RowFilter? Filter { get; set; }

    /// <summary>
    /// Empty, or one value per row added to that row's dot product: a match scores <c>dot(query, row) + Bias[row]</c>.
    /// Euclidean distance is a dot product with the query doubled and <c>-|row|²</c> as the bias.
    /// </summary>
    public ReadOnlyMemory<float> Bias { get; set; }

    /// <summary>
    /// The most threads one search uses; <see langword="null"/> means <see cref="Environment.ProcessorCount"/>.
    /// Small matrices are searched on one thread whatever this says, where starting a second would cost more than it saves.
    /// </summary>
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>The float kernel to use instead of the widest one the processor runs, so tests cover every kernel.</summary>
    internal FloatDotKernel? FloatKernel { get; set; }
}
