using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Agents.Recipes;

/// <summary>
/// Reads recipe YAML strictly: unknown fields, wrong types and unsupported tools are errors with their
/// position, so a typo never silently changes what an agent does. Only environment references are
/// evaluated (<c>${NAME}</c>, <c>${NAME:-default}</c>, and Agent Framework's <c>=Env.NAME</c>).
/// </summary>
public static partial class RecipeLoader
{
    /// <summary>Loads the recipe at <paramref name="path"/>, reading the process environment.</summary>
    /// <exception cref="RecipeException">The file is missing, not YAML, or not a valid recipe.</exception>
    public static async Task<Recipe> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string yaml;
        try
        {
            yaml = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException([new RecipeError(path, 0, 0, $"cannot read the recipe ({ex.Message})")], ex);
        }

        return Parse(yaml, path, Environment.GetEnvironmentVariable);
    }

    /// <summary>Parses recipe text; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    /// <param name="yaml">The recipe text.</param>
    /// <param name="path">Where the text came from.</param>
    /// <param name="environment">Looks up environment variables; the process environment when null.</param>
    public static Recipe Parse(string yaml, string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new RecipeException([new RecipeError(path, (int)ex.Start.Line, (int)ex.Start.Column, YamlMessage(ex))], ex);
        }

        if (stream.Documents.Count == 0)
        {
            throw new RecipeException([new RecipeError(path, 0, 0, "the recipe is empty; start it with 'kind: Prompt'.")]);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new RecipeException([new RecipeError(path, (int)second.Line, (int)second.Column, "a recipe is one YAML document; remove the second one.")]);
        }

        var reader = new RecipeReader(path, environment ?? Environment.GetEnvironmentVariable);
        var recipe = reader.Read(stream.Documents[0].RootNode);
        return reader.Errors.Count == 0 ? recipe : throw new RecipeException(reader.Errors);
    }

    /// <summary>YamlDotNet prefixes its messages with the positions we already print; keep the words.</summary>
    private static string YamlMessage(YamlException ex) => PositionPrefix().Replace(ex.Message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
