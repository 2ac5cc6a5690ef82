using Agents.Grounding;
using Agents.Models;
using Agents.Onnx.Chat;
using Agents.Recipes;
using Agents.Retrieval;
using Agents.Tools.Time;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Playground.Hosting;

/// <summary>
/// Turns a loaded recipe into a running <see cref="Agent"/>: the one place that maps recipe fields to
/// agent options and recipe tool kinds to tools, shared by every command that runs recipes.
/// </summary>
internal static class RecipeAgentFactory
{
    /// <summary>
    /// Builds the agent of <paramref name="recipe"/> (already resolved by <see cref="ModelFlags.ApplyTo"/>), opening
    /// what its tools need (document stores); disposing the result closes them.
    /// </summary>
    public static async Task<RecipeAgent> CreateAsync(Recipe recipe, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        timeProvider ??= TimeProvider.System;
        var options = CreateOptions(recipe, timeProvider);
        var resources = new List<IDisposable>();
        try
        {
            foreach (var tool in recipe.Tools.Where(t => t.Retrieval is not null))
            {
                var store = await OpenDocumentStoreAsync(tool.Retrieval!, recipe.Model, resources, cancellationToken).ConfigureAwait(false);
                options.Tools.Add(SearchDocumentsTool.CreateFunction(store, tool.Retrieval!.Top));
                if (tool.Retrieval.BeforeAnswering)
                {
                    options.Retrieval = new RetrievalOptions(store) { Top = tool.Retrieval.Top };
                }
            }

            var chatClient = CreateChatClient(recipe.Model, timeProvider);
            resources.Add(chatClient);
            if (chatClient is OnnxChatClient local)
            {
                // A local model knows its own window (and the agent counts with its tokenizer), so history is fitted exactly.
                options.ContextWindow ??= local.ContextWindow;
            }

            return new RecipeAgent(new Agent(chatClient, options), resources);
        }
        catch
        {
            resources.ForEach(r => r.Dispose());
            throw;
        }
    }

    /// <summary>The agent options of <paramref name="recipe"/>, with every tool that needs nothing opened.</summary>
    public static AgentOptions CreateOptions(Recipe recipe, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var model = recipe.Model;
        var options = new AgentOptions
        {
            Name = recipe.Name ?? Path.GetFileNameWithoutExtension(recipe.SourcePath),
            Instructions = recipe.Instructions,
            ChatOptions = new ChatOptions
            {
                ModelId = model.Id,
                Temperature = model.Options.Temperature,
                TopP = model.Options.TopP,
                MaxOutputTokens = model.Options.MaxOutputTokens,
                StopSequences = model.Options.Stop.Count > 0 ? [.. model.Options.Stop] : null,
            },
            ContextWindow = ContextWindow(recipe),
            TimeProvider = timeProvider,
        };

        var limits = recipe.Limits;
        options.Limits.MaxSteps = limits.MaxSteps ?? options.Limits.MaxSteps;
        options.Limits.MaxToolCalls = limits.MaxToolCalls ?? options.Limits.MaxToolCalls;
        options.Limits.MaxTotalTokens = limits.MaxTotalTokens ?? options.Limits.MaxTotalTokens;
        if (limits.TimeoutSeconds is { } seconds)
        {
            options.Limits.Timeout = TimeSpan.FromSeconds(seconds);
        }

        foreach (var tool in recipe.Tools.Where(t => t.Retrieval is null))
        {
            options.Tools.Add(CreateTool(tool, timeProvider));
        }

        return options;
    }

    private static KernelFunction CreateTool(RecipeTool tool, TimeProvider timeProvider) => tool.Kind switch
    {
        RecipeTool.CurrentTimeKind => CurrentTimeTool.CreateFunction(timeProvider),
        _ => throw new UsageException($"Tool kind '{tool.Kind}' is not supported yet; remove it from the recipe."),
    };

    private static async Task<DocumentStore> OpenDocumentStoreAsync(RecipeRetrieval retrieval, RecipeModel model, List<IDisposable> resources, CancellationToken cancellationToken)
    {
        var mode = Enum.Parse<DocumentSearchMode>(retrieval.Mode, ignoreCase: true);

        // Hosted embeddings come from the recipe's model server unless the environment names another.
        var flags = new EmbeddingFlags(retrieval.EmbeddingModel, model.Endpoint?.AbsoluteUri, model.ApiKey);
        var opened = await OpenedDocumentStore.OpenAsync(retrieval.Store, flags, mode != DocumentSearchMode.Keyword, create: false, mode, cancellationToken).ConfigureAwait(false);
        resources.Add(opened);
        return opened.Store;
    }

    /// <summary>
    /// The agent fits history to a window that includes the answer; <c>memory.maxContextTokens</c> bounds
    /// what is sent, so the window it implies is that bound plus the room kept for the answer.
    /// </summary>
    private static int? ContextWindow(Recipe recipe)
    {
        var window = recipe.Model.Options.ContextWindow;
        if (recipe.Memory.MaxContextTokens is not { } sent)
        {
            return window;
        }

        var implied = sent + (recipe.Model.Options.MaxOutputTokens ?? 0);
        return window is null ? implied : Math.Min(window.Value, implied);
    }

    private static IChatClient CreateChatClient(RecipeModel model, TimeProvider timeProvider) =>
        model.Provider == RecipeModel.OnnxProvider
            ? new OnnxChatClient(model.Path!)
            : HostedChatClient.Create(new HostedModelOptions
        {
            ModelId = model.Id ?? throw new ArgumentException("The recipe's model has no id.", nameof(model)),
            Endpoint = model.Endpoint,
            ApiKey = model.ApiKey,
            TimeProvider = timeProvider,
        });
}
