using System.Text.Json;

namespace Agents.Onnx.Tests;

/// <summary>The tiny models under tests/models, copied next to the test assembly.</summary>
internal static class TinyModels
{
    public static string Llama { get; } = Path.Combine(AppContext.BaseDirectory, "models", "tiny-llama");

    /// <summary>Greedy continuations computed by the numpy reference in tests/models/make_tiny_llama.py.</summary>
    public static IEnumerable<(string Prompt, int[] PromptIds, int[] GreedyIds)> LlamaGolden()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Llama, "golden.json")));
        return golden.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (
                c.GetProperty("prompt").GetString()!,
                c.GetProperty("promptIds").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("greedyIds").EnumerateArray().Select(e => e.GetInt32()).ToArray()))
            .ToList();
    }
}
