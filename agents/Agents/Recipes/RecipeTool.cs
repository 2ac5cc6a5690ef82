namespace Agents.Recipes;

/// <summary>A tool the recipe gives the agent (one entry of <c>tools:</c>), identified by its <c>kind</c>.</summary>
public sealed record RecipeTool(string Kind)
{
    /// <summary><c>kind: currentTime</c>, the <c>current_time</c> tool.</summary>
    public const string CurrentTimeKind = "currentTime";
}
