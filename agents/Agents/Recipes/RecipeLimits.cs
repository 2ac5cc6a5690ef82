namespace Agents.Recipes;

/// <summary>Bounds on one run (<c>limits:</c>); unset values keep the agent's defaults.</summary>
public sealed record RecipeLimits
{
    public int? MaxSteps { get; init; }

    public int? MaxToolCalls { get; init; }

    public int? TimeoutSeconds { get; init; }

    public long? MaxTotalTokens { get; init; }
}
