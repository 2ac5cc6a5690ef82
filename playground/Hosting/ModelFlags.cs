using Agents.Recipes;

namespace Agents.Playground.Hosting;

/// <summary>
/// The model settings given on the command line. Precedence: flag, then recipe, then environment
/// variable, so a recipe that names its model is not silently retargeted by a variable left in the shell
/// (a recipe that wants the environment says so with <c>${AGENTS_MODEL}</c>).
/// </summary>
internal sealed record ModelFlags(string? Model, string? Endpoint, string? ApiKey)
{
    private const string OnnxPrefix = "onnx:";

    /// <summary>The recipe with flags and environment applied, checked to be runnable.</summary>
    /// <exception cref="UsageException">The model cannot be reached as configured.</exception>
    public Recipe ApplyTo(Recipe recipe, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(environment);
        if (Model?.StartsWith(OnnxPrefix, StringComparison.OrdinalIgnoreCase) == true)
        {
            var folder = Path.GetFullPath(Model[OnnxPrefix.Length..]);
            return LocalModel(recipe with { Model = recipe.Model with { Provider = RecipeModel.OnnxProvider, Path = folder, Id = Path.GetFileName(folder) } });
        }

        if (Model is null && recipe.Model.Provider == RecipeModel.OnnxProvider)
        {
            return LocalModel(recipe);
        }

        var id = Model ?? recipe.Model.Id ?? ServerSettings.NonEmpty(environment("AGENTS_MODEL"))
            ?? throw new UsageException("No model is set; pass --model ID, set AGENTS_MODEL, or set model.id in the recipe.");
        var endpoint = ServerSettings.Url(Endpoint, "--endpoint") ?? recipe.Model.Endpoint ?? ServerSettings.EndpointFromEnvironment(environment);
        var apiKey = ApiKey ?? recipe.Model.ApiKey ?? ServerSettings.ApiKeyFromEnvironment(environment);
        if (endpoint is null && apiKey is null)
        {
            throw new UsageException("No model server is set; pass --endpoint URL for any OpenAI-compatible server (or set AGENTS_ENDPOINT), or set OPENAI_API_KEY to use OpenAI.");
        }

        return recipe with { Model = recipe.Model with { Provider = RecipeModel.OpenAIProvider, Id = id, Endpoint = endpoint, ApiKey = apiKey } };
    }

    private static Recipe LocalModel(Recipe recipe)
    {
        var folder = recipe.Model.Path
            ?? throw new UsageException("The recipe's onnx model has no folder; set model.connection.path, or pass --model onnx:PATH.");
        if (!Directory.Exists(folder))
        {
            throw new UsageException($"The model folder {folder} does not exist; pass the folder that holds genai_config.json (agents model pull can download one).");
        }

        return recipe with { Model = recipe.Model with { Id = recipe.Model.Id ?? Path.GetFileName(folder) } };
    }
}
