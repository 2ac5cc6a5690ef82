namespace Agents.Grounding;

/// <summary>A passage a retriever found: its citable id (<c>source#chunk</c>), where it comes from, its score and text.</summary>
/// <param name="Position">Where in the source, for people: a page, a heading path, a character range.</param>
public sealed record RetrievedPassage(string Id, string Source, string? Position, double Score, string Text);
