using Agents.Playground.Hosting;
using Agents.Recipes;

namespace Agents.Playground.Commands;

/// <summary>Loads the recipe a command names (or an empty one when only flags are given) and applies the flags.</summary>
internal static class RecipeSource
{
    public static async Task<Recipe> LoadAsync(FileInfo? file, ModelFlags flags, CancellationToken cancellationToken)
    {
        var recipe = file is null
            ? new Recipe { SourcePath = Path.Combine(Environment.CurrentDirectory, "agent") }
            : await RecipeLoader.LoadAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        return flags.ApplyTo(recipe, Environment.GetEnvironmentVariable);
    }
}
