using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.Onnx.Embeddings;

/// <summary>
/// Which of an embedding model's inputs and outputs the generator feeds and reads, found from the model's own metadata:
/// <c>input_ids</c> (required), <c>attention_mask</c> and <c>token_type_ids</c> (fed when the model has them), and the
/// output <c>sentence_embedding</c> [batch, hidden] (already pooled: used as is), else <c>last_hidden_state</c> or
/// <c>token_embeddings</c> [batch, sequence, hidden], else the first output when it has that shape.
/// </summary>
internal sealed record EmbeddingModelBinding(string InputIds, string? AttentionMask, string? TokenTypeIds, string Output, bool OutputIsPooled, int? Dimensions)
{
    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";
    private const string PooledOutputName = "sentence_embedding";
    private static readonly string[] TokenOutputNames = ["last_hidden_state", "token_embeddings"];

    /// <exception cref="InvalidDataException">The model's inputs or outputs are not those of a text embedder.</exception>
    public static EmbeddingModelBinding Bind(InferenceSession session, string modelFile)
    {
        ArgumentNullException.ThrowIfNull(session);
        var inputs = session.InputMetadata;
        var unknown = inputs.Keys.Where(n => n is not (InputIdsName or AttentionMaskName or TokenTypeIdsName)).ToList();
        if (!inputs.ContainsKey(InputIdsName) || unknown.Count > 0)
        {
            throw new InvalidDataException($"'{modelFile}' takes the inputs {Names(inputs.Keys)}; a text embedding model takes input_ids, attention_mask and optionally token_type_ids.");
        }

        foreach (var (name, input) in inputs)
        {
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
            {
                throw new InvalidDataException($"'{modelFile}' takes '{name}' as {Describe(input)}; the generator feeds int64 [batch, sequence] tensors.");
            }
        }

        var outputs = session.OutputMetadata;
        var (output, pooled) = outputs.TryGetValue(PooledOutputName, out var sentence) && IsFloatTensor(sentence, rank: 2) ? (PooledOutputName, true)
            : TokenOutputNames.FirstOrDefault(n => outputs.TryGetValue(n, out var o) && IsFloatTensor(o, rank: 3)) is { } tokens ? (tokens, false)
            : session.OutputNames.Count > 0 && IsFloatTensor(outputs[session.OutputNames[0]], rank: 3) ? (session.OutputNames[0], false)
            : throw new InvalidDataException($"'{modelFile}' outputs {Names(outputs.Keys)}; the generator reads float sentence_embedding [batch, hidden], or last_hidden_state (or the first output) as float [batch, sequence, hidden].");

        var last = outputs[output].Dimensions[^1];
        return new EmbeddingModelBinding(
            InputIdsName,
            inputs.ContainsKey(AttentionMaskName) ? AttentionMaskName : null,
            inputs.ContainsKey(TokenTypeIdsName) ? TokenTypeIdsName : null,
            output,
            pooled,
            last > 0 ? last : null);
    }

    private static bool IsFloatTensor(NodeMetadata metadata, int rank) =>
        metadata.IsTensor && metadata.ElementDataType == TensorElementType.Float && metadata.Dimensions.Length == rank;

    private static string Describe(NodeMetadata metadata) =>
        metadata.IsTensor ? $"{metadata.ElementDataType} [{string.Join(", ", metadata.Dimensions.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]" : metadata.OnnxValueType.ToString();

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
