using System.ComponentModel;
using Agents.Grounding;
using Microsoft.SemanticKernel;

namespace Agents.Retrieval;

/// <summary>
/// The <c>search_documents</c> tool: the model searches the documents itself, as often as it needs. Its result is a
/// <see cref="RetrievalResult"/>, so the agent shows the passages as a documents block, records a <c>retrieval</c>
/// step and lets the answer cite them. Works over any <see cref="IDocumentRetriever"/>.
/// </summary>
public sealed class SearchDocumentsTool
{
    /// <summary>The most passages one call returns, whatever the model asks for.</summary>
    public const int MaxTop = 20;

    private readonly IDocumentRetriever _retriever;
    private readonly int _defaultTop;

    public SearchDocumentsTool(IDocumentRetriever retriever, int defaultTop = 5)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultTop, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(defaultTop, MaxTop);
        _retriever = retriever;
        _defaultTop = defaultTop;
    }

    [KernelFunction("search_documents")]
    [Description("Searches the document collection and returns the most relevant passages, each with an id to cite in square brackets. Use it before answering questions the documents may cover.")]
    public async Task<RetrievalResult> SearchAsync(
        [Description("What to look for: a question or key words.")] string query,
        [Description("How many passages to return (1-20); 5 when omitted.")] int? top = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var count = Math.Clamp(top ?? _defaultTop, 1, MaxTop);
        var passages = await _retriever.RetrieveAsync(query, count, cancellationToken).ConfigureAwait(false);
        return new RetrievalResult(query, passages);
    }

    /// <summary>The tool as a Semantic Kernel function, ready for <see cref="AgentOptions.Tools"/>.</summary>
    public static KernelFunction CreateFunction(IDocumentRetriever retriever, int defaultTop = 5)
    {
        var tool = new SearchDocumentsTool(retriever, defaultTop);
        return KernelFunctionFactory.CreateFromMethod(tool.SearchAsync, functionName: "search_documents");
    }
}
