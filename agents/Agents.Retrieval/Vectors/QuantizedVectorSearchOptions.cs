namespace Agents.Retrieval.Vectors;

/// <summary>Options of a search over a <see cref="QuantizedVectorIndex"/>.</summary>
public sealed class QuantizedVectorSearchOptions : VectorSearchOptions
{
    /// <summary>
    /// How many rows the int8 scan hands to float32 re-ranking; at least the number of matches asked for.
    /// <see langword="null"/> means <see cref="QuantizedVectorIndex.DefaultRerankFactor"/> times the matches asked for,
    /// and at least <see cref="QuantizedVectorIndex.MinimumDefaultRerankCandidates"/>. More candidates cost a little
    /// time and raise recall where many rows score almost alike.
    /// </summary>
    public int? RerankCandidates { get; set; }

    /// <summary>The int8 kernel to use instead of the fastest one the processor runs, so tests cover every kernel.</summary>
    internal Int8DotKernel? Int8Kernel { get; set; }
}
