namespace Agents.Onnx.Models;

/// <summary>What a model folder holds, told by its files.</summary>
public enum ModelFolderKind
{
    /// <summary>A decoder for ONNX Runtime GenAI: <c>genai_config.json</c>, its <c>.onnx</c> file and tokenizer files.</summary>
    GenAI,

    /// <summary>A sentence-embedding encoder (BERT family): <c>config.json</c>, <c>model.onnx</c> (or <c>onnx/model.onnx</c>), and <c>vocab.txt</c> or <c>tokenizer.json</c>.</summary>
    SentenceEmbedding,
}
