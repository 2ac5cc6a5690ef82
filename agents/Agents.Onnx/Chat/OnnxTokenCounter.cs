using Agents.Memory;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Chat;

/// <summary>Counts tokens with the local model's own tokenizer, so an agent fits its context window exactly.</summary>
internal sealed class OnnxTokenCounter(Tokenizer tokenizer) : ITokenCounter
{
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var sequences = tokenizer.Encode(text);
        return sequences[0].Length;
    }
}
