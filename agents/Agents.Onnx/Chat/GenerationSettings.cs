using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Chat;

/// <summary>
/// The settings fixed when a GenAI generator is made (search options and grammar). A kept generator is
/// reused for the next turn only when these are equal.
/// </summary>
internal sealed record GenerationSettings(bool DoSample, double? Temperature, double? TopP, int? TopK, long? Seed, double? RepetitionPenalty, string? Grammar)
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key for a repetition penalty (1 = none), which ChatOptions has no field for.</summary>
    public const string RepetitionPenaltyKey = "repetition_penalty";

    /// <summary>Seeded sampling must give the same reply for the same request, which a generator whose random state moved on cannot.</summary>
    public bool AllowsReuse => !(DoSample && Seed is not null);

    public static GenerationSettings From(ChatOptions? options, string? grammar)
    {
        var temperature = options?.Temperature;
        var sample = temperature is > 0 || (temperature is null && (options?.TopP is not null || options?.TopK is not null));
        double? penalty = options?.AdditionalProperties?.TryGetValue(RepetitionPenaltyKey, out var value) == true
            ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
            : null;
        return new GenerationSettings(sample, sample ? temperature : null, sample ? options?.TopP : null, sample ? options?.TopK : null, options?.Seed, penalty, grammar);
    }

    public GeneratorParams CreateParams(Model model, int maxLength)
    {
        var parameters = new GeneratorParams(model);
        try
        {
            // The whole window, not this reply's budget: a kept generator goes on to later turns. Replies are cut by count instead.
            parameters.SetSearchOption("max_length", maxLength);
            parameters.SetSearchOption("do_sample", DoSample);
            if (Temperature is { } temperature)
            {
                parameters.SetSearchOption("temperature", temperature);
            }

            if (TopP is { } topP)
            {
                parameters.SetSearchOption("top_p", topP);
            }

            if (TopK is { } topK)
            {
                parameters.SetSearchOption("top_k", topK);
            }

            if (Seed is { } seed)
            {
                parameters.SetSearchOption("random_seed", seed);
            }

            if (RepetitionPenalty is { } penalty)
            {
                parameters.SetSearchOption("repetition_penalty", penalty);
            }

            if (Grammar is not null)
            {
                parameters.SetGuidance("lark_grammar", Grammar, false);
            }

            return parameters;
        }
        catch
        {
            parameters.Dispose();
            throw;
        }
    }
}
