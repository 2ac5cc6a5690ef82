namespace Agents.Recipes;

/// <summary>A tool the recipe gives the agent (one entry of <c>tools:</c>), identified by its <c>kind</c>.</summary>
public sealed record RecipeTool(string Kind)
{
    /// <summary><c>kind: currentTime</c>, the <c>current_time</c> tool.</summary>
    public const string CurrentTimeKind = "currentTime";

    /// <summary><c>kind: retrieval</c>, the <c>search_documents</c> tool over a document store.</summary>
    public const string RetrievalKind = "retrieval";

    /// <summary>The settings of a <c>retrieval</c> tool; null for other kinds.</summary>
    public RecipeRetrieval? Retrieval { get; init; }
}
