namespace Agents.Onnx.Embeddings;

/// <summary>Settings of <see cref="OnnxEmbeddingGenerator"/>; the defaults suit sentence-transformers models on the CPU.</summary>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>How many texts go through the model in one run (default 32); a batch is padded to its longest text.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Tokens per text, [CLS] and [SEP] included; longer texts are cut, as the Hugging Face tokenizers do. Null (the
    /// default): the model's own limit, <c>model_max_length</c> of tokenizer_config.json capped by
    /// <c>max_position_embeddings</c> of config.json.
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>
    /// How token vectors become one vector. Null (the default): what the folder's 1_Pooling/config.json says
    /// (sentence-transformers' layout), else <see cref="OnnxEmbeddingPooling.Mean"/>. Ignored by a model that already
    /// outputs pooled <c>sentence_embedding</c>.
    /// </summary>
    public OnnxEmbeddingPooling? Pooling { get; set; }

    /// <summary>Scale every vector to unit length (default true), so a dot product is the cosine similarity.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>Threads one model run may use; 0 (the default) lets ONNX Runtime pick (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Where the model runs (default <see cref="OnnxDevice.Cpu"/>).</summary>
    public OnnxDevice Device { get; set; } = OnnxDevice.Cpu;

    /// <summary>The CUDA device number for <see cref="OnnxDevice.Cuda"/> and <see cref="OnnxDevice.Auto"/> (default 0).</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// The model id reported in <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata"/> and on every
    /// embedding. Null (the default): the model folder's name, e.g. <c>all-MiniLM-L6-v2</c>.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>Let ONNX Runtime send its usage telemetry (default false: off). The switch is process-wide.</summary>
    public bool EnableTelemetry { get; set; }
}
