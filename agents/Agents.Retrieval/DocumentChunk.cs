using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval;

/// <summary>
/// One stored passage of a document: the record type of a document store's <c>chunks</c> collection. Any
/// VectorData connector can hold it with <see cref="CreateDefinition"/>, so search code is connector-independent.
/// </summary>
public sealed class DocumentChunk
{
    /// <summary>The citable id, <c>source#index</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The document: a path relative to where it was ingested from, or a URL.</summary>
    public string Source { get; set; } = "";

    /// <summary>The chunk's place in its document, from 0.</summary>
    public int Index { get; set; }

    /// <summary>The document's title, when it has one.</summary>
    public string? Title { get; set; }

    /// <summary>The headings above the chunk, outermost first, joined by " > ".</summary>
    public string? HeadingPath { get; set; }

    /// <summary>The page the chunk starts on (PDF), from 1.</summary>
    public int? Page { get; set; }

    /// <summary>Character range of the chunk in the document's extracted text.</summary>
    public int Start { get; set; }

    public int End { get; set; }

    public string Text { get; set; } = "";

    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>Where in the source the chunk is, for people: page and headings, or the character range.</summary>
    public string Position
    {
        get
        {
            var page = Page is { } p ? $"page {p}" : null;
            var parts = new[] { page, HeadingPath }.Where(s => !string.IsNullOrEmpty(s)).ToArray();
            return parts.Length > 0 ? string.Join(", ", parts) : $"chars {Start}-{End}";
        }
    }

    /// <summary>The chunk id for a document's <paramref name="index"/>th chunk.</summary>
    public static string IdFor(string source, int index) => $"{source}#{index}";

    /// <summary>The collection schema, with embeddings of <paramref name="dimensions"/> compared by cosine similarity.</summary>
    public static VectorStoreCollectionDefinition CreateDefinition(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Id), typeof(string)),
                new VectorStoreDataProperty(nameof(Source), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(Index), typeof(int)),
                new VectorStoreDataProperty(nameof(Title), typeof(string)),
                new VectorStoreDataProperty(nameof(HeadingPath), typeof(string)),
                new VectorStoreDataProperty(nameof(Page), typeof(int?)),
                new VectorStoreDataProperty(nameof(Start), typeof(int)),
                new VectorStoreDataProperty(nameof(End), typeof(int)),
                new VectorStoreDataProperty(nameof(Text), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
            ],
        };
    }
}
