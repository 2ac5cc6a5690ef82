namespace Agents.Retrieval;

/// <summary>How a document store ranks passages.</summary>
public enum DocumentSearchMode
{
    /// <summary>Vector and keyword rankings fused by reciprocal rank: the default.</summary>
    Hybrid,

    /// <summary>Cosine similarity of embeddings alone.</summary>
    Vector,

    /// <summary>BM25 over the text alone; needs no embedding model.</summary>
    Keyword,
}
