namespace Agents.Recipes;

/// <summary>Where conversations persist and how much of them is sent (<c>memory:</c>).</summary>
public sealed record RecipeMemory
{
    /// <summary>Absolute path of the SQLite session database, or null to keep sessions in memory.</summary>
    public string? Store { get; init; }

    public int? MaxContextTokens { get; init; }
}
