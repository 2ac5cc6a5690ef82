namespace Agents.Recipes;

/// <summary>A recipe could not be loaded; <see cref="Errors"/> lists every problem found, in file order.</summary>
public sealed class RecipeException : Exception
{
    public RecipeException(IReadOnlyList<RecipeError> errors, Exception? innerException = null)
        : base(string.Join(Environment.NewLine, errors), innerException)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    public IReadOnlyList<RecipeError> Errors { get; }
}
