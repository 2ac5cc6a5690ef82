using Agents.Grounding;
using Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents;

/// <summary>What an agent is: its instructions, tools, model options and limits.</summary>
public sealed class AgentOptions
{
    /// <summary>Shown in traces and spans.</summary>
    public string Name { get; set; } = "agent";

    /// <summary>The agent's own instructions, sent first in the system message.</summary>
    public string? Instructions { get; set; }

    /// <summary>
    /// Tools the model may call: any Semantic Kernel function, so existing plugins work unchanged.
    /// The model sees a function's own name, or <c>plugin_function</c> when it belongs to a plugin.
    /// </summary>
    public IList<KernelFunction> Tools { get; } = [];

    /// <summary>The kernel functions run under (its services and filters apply); a bare one by default.</summary>
    public Kernel? Kernel { get; set; }

    /// <summary>Sampling options passed to the model on every call (temperature, top-p, max output tokens, stop, model id).</summary>
    public ChatOptions? ChatOptions { get; set; }

    public AgentLimits Limits { get; set; } = new();

    /// <summary>
    /// The model's context window in tokens. When set, the messages of each call are fitted to it
    /// (minus <see cref="ChatOptions.MaxOutputTokens"/>), dropping the oldest turns first.
    /// </summary>
    public int? ContextWindow { get; set; }

    /// <summary>Counts tokens for context fitting; by default the chat client's own counter (a local model's tokenizer), else the tiktoken encoding that matches the model id.</summary>
    public ITokenCounter? TokenCounter { get; set; }

    /// <summary>
    /// Retrieve before answering: the input is searched first and the passages found are put in front of the model,
    /// which is told to cite them and to say when they do not hold the answer. Null (the default) retrieves nothing;
    /// a retrieval tool (such as <c>search_documents</c>) lets the model search on its own instead or as well.
    /// </summary>
    public RetrievalOptions? Retrieval { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
