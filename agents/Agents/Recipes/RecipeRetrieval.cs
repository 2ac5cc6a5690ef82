namespace Agents.Recipes;

/// <summary>A <c>kind: retrieval</c> tool: a document store the agent searches and cites.</summary>
/// <param name="Store">Full path of the store made by <c>agents ingest</c>.</param>
/// <param name="Top">Passages per search, 1 to 20 (default 5).</param>
/// <param name="Mode"><c>hybrid</c> (default), <c>vector</c> or <c>keyword</c>.</param>
/// <param name="EmbeddingModel">The model that embeds queries; null for the one the store was built with.</param>
/// <param name="BeforeAnswering">Search the input before the first model call too (<c>retrieveFirst: true</c>).</param>
public sealed record RecipeRetrieval(string Store, int Top = 5, string Mode = "hybrid", string? EmbeddingModel = null, bool BeforeAnswering = false);
