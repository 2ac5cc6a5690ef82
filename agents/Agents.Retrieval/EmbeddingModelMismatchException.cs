namespace Agents.Retrieval;

/// <summary>A document store was opened with another embedding model than the one its vectors were made with.</summary>
public sealed class EmbeddingModelMismatchException : InvalidOperationException
{
    public EmbeddingModelMismatchException(string path, string storeModel, int? storeDimensions, string givenModel)
        : base($"{path} was built with embedding model '{storeModel}'{(storeDimensions is { } d ? $" ({d} dimensions)" : "")}, but '{givenModel}' was given; vectors of different models cannot be compared. Use '{storeModel}', or ingest into a new store.")
    {
        StoreModel = storeModel;
        GivenModel = givenModel;
    }

    public string StoreModel { get; }

    public string GivenModel { get; }
}
