namespace Agents.Onnx.Embeddings;

/// <summary>How the per-token vectors of a sentence become one sentence vector.</summary>
public enum OnnxEmbeddingPooling
{
    /// <summary>The average of the real tokens' vectors (padding left out by the attention mask): all-MiniLM, e5.</summary>
    Mean,

    /// <summary>The vector of the first token, [CLS]: bge.</summary>
    Cls,
}
