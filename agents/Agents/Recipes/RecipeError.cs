namespace Agents.Recipes;

/// <summary>One problem in a recipe, at a 1-based line and column (0 when it concerns the whole file).</summary>
public sealed record RecipeError(string Path, int Line, int Column, string Message)
{
    /// <summary><c>file:line:col: message</c>, the form editors and CI logs link to.</summary>
    public override string ToString() => Line > 0 ? $"{Path}:{Line}:{Column}: {Message}" : $"{Path}: {Message}";
}
