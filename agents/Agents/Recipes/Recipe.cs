namespace Agents.Recipes;

/// <summary>
/// An agent described in YAML (<c>kind: Prompt</c>, the Microsoft Agent Framework shape). Values are
/// already resolved: environment references substituted, paths made absolute against the recipe's folder.
/// Records, so hosts can layer overrides with <c>with</c> (command-line flags beat the file).
/// </summary>
public sealed record Recipe
{
    /// <summary>Full path of the file the recipe came from.</summary>
    public required string SourcePath { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The system prompt.</summary>
    public string? Instructions { get; init; }

    public RecipeModel Model { get; init; } = new();

    public RecipeLimits Limits { get; init; } = new();

    public RecipeMemory Memory { get; init; } = new();

    public IReadOnlyList<RecipeTool> Tools { get; init; } = [];
}
