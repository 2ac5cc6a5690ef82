namespace Agents.Grounding;

/// <summary>Finds passages that may answer a query. Core knows no store: retrieval's document store implements this.</summary>
public interface IDocumentRetriever
{
    /// <summary>The best <paramref name="top"/> passages for <paramref name="query"/>, best first.</summary>
    Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int top, CancellationToken cancellationToken = default);
}
