using System.CommandLine;

namespace Agents.Playground.Commands;

/// <summary>The optional RECIPE.yaml argument of commands that run agents.</summary>
internal static class RecipeArgument
{
    public static Argument<FileInfo?> Create()
    {
        var argument = new Argument<FileInfo?>("recipe")
        {
            Description = "The recipe (YAML); without one, the model comes from the flags.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "RECIPE.yaml",
        };

        // An optional argument would otherwise swallow a mistyped flag ("--inptu") as a file name.
        argument.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: ['-', _, ..] value }])
            {
                result.AddError($"Unrecognized option '{value}'");
            }
        });
        return argument;
    }
}
