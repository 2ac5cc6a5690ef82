namespace Agents.Recipes;

/// <summary>Sampling and size settings for the model (<c>model.options:</c>); unset values keep the server's defaults.</summary>
public sealed record RecipeModelOptions
{
    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public int? MaxOutputTokens { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>The model's context window in tokens; history is fitted to it before each call.</summary>
    public int? ContextWindow { get; init; }
}
