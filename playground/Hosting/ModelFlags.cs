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
        if (Model?.StartsWith(OnnxPrefix, StringComparison.OrdinalIgnoreCase) == true || recipe.Model.Provider == RecipeModel.OnnxProvider)
        {
            throw new UsageException("Local ONNX models are not available yet; use a hosted model with --model ID and --endpoint URL.");
        }

        var id = Model ?? recipe.Model.Id ?? NonEmpty(environment("AGENTS_MODEL"))
            ?? throw new UsageException("No model is set; pass --model ID, set AGENTS_MODEL, or set model.id in the recipe.");
        var endpoint = Url(Endpoint, "--endpoint") ?? recipe.Model.Endpoint
            ?? Url(NonEmpty(environment("AGENTS_ENDPOINT")), "AGENTS_ENDPOINT")
            ?? Url(NonEmpty(environment("OPENAI_BASE_URL")), "OPENAI_BASE_URL");
        var apiKey = ApiKey ?? recipe.Model.ApiKey ?? NonEmpty(environment("AGENTS_API_KEY")) ?? NonEmpty(environment("OPENAI_API_KEY"));
        if (endpoint is null && apiKey is null)
        {
            throw new UsageException("No model server is set; pass --endpoint URL for any OpenAI-compatible server (or set AGENTS_ENDPOINT), or set OPENAI_API_KEY to use OpenAI.");
        }

        return recipe with { Model = recipe.Model with { Id = id, Endpoint = endpoint, ApiKey = apiKey } };
    }

    private static Uri? Url(string? value, string source)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"{source} '{value}' is not an http(s) URL; give the server's base URL, e.g. http://localhost:11434/v1.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
