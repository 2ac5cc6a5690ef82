namespace Agents.Recipes;

/// <summary>Which model runs the agent and how to reach it (<c>model:</c> in a recipe).</summary>
public sealed record RecipeModel
{
    /// <summary>The <c>provider</c> value for a hosted model behind an OpenAI-compatible API (the default).</summary>
    public const string OpenAIProvider = "openai";

    /// <summary>The <c>provider</c> value for a local ONNX model.</summary>
    public const string OnnxProvider = "onnx";

    /// <summary>The model id the server knows (e.g. <c>gpt-4o-mini</c>, <c>llama3.2</c>).</summary>
    public string? Id { get; init; }

    public string Provider { get; init; } = OpenAIProvider;

    /// <summary>Base URL of the OpenAI-compatible server (<c>connection.endpoint</c>).</summary>
    public Uri? Endpoint { get; init; }

    /// <summary><c>connection.apiKey</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Folder of a local model (<c>connection.path</c>), absolute.</summary>
    public string? Path { get; init; }

    public RecipeModelOptions Options { get; init; } = new();
}
