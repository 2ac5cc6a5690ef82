namespace Agents.Grounding;

/// <summary>Retrieve before answering: the run's input is searched first and the passages are put before it.</summary>
public sealed class RetrievalOptions
{
    public RetrievalOptions(IDocumentRetriever retriever)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        Retriever = retriever;
    }

    public IDocumentRetriever Retriever { get; }

    /// <summary>How many passages to put in front of the model. Default 5.</summary>
    public int Top { get; set; } = 5;
}
