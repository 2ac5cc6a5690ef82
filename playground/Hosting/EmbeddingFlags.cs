using System.Globalization;
using Agents.Models;
using Agents.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace Agents.Playground.Hosting;

/// <summary>
/// The embedding model given to <c>ingest</c> and <c>search</c>: <c>hash</c> / <c>hash:DIMENSIONS</c> for the offline
/// lexical generator, or a hosted model id served at <c>--endpoint</c> (or AGENTS_ENDPOINT / OPENAI_BASE_URL).
/// Precedence: flag, then what the store recorded, then AGENTS_EMBEDDING_MODEL, then <c>hash</c> for a new store.
/// </summary>
internal sealed record EmbeddingFlags(string? Model, string? Endpoint, string? ApiKey)
{
    public const string HashModel = "hash";

    /// <summary>What else the user can do when a hosted model has no server, e.g. "search with --mode keyword"; null for nothing.</summary>
    public string? WithoutServer { get; init; }

    /// <summary>The model id to use, given what the store recorded (null for a new store).</summary>
    public string ResolveModel(string? storeModel, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return ServerSettings.NonEmpty(Model) ?? storeModel ?? ServerSettings.NonEmpty(environment("AGENTS_EMBEDDING_MODEL")) ?? HashModel;
    }

    /// <summary>The generator for <paramref name="model"/>.</summary>
    /// <exception cref="UsageException">The model id is malformed or names an unreachable server.</exception>
    public IEmbeddingGenerator<string, Embedding<float>> Create(string model, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(environment);
        if (model.StartsWith("onnx:", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException("Local ONNX embedding models are not available yet; use --embedding-model hash (offline) or a hosted model id with --endpoint URL.");
        }

        if (model == HashModel || model.StartsWith(HashModel + "-", StringComparison.Ordinal) || model.StartsWith(HashModel + ":", StringComparison.Ordinal))
        {
            return new HashingEmbeddingGenerator(new HashingEmbeddingGeneratorOptions { Dimensions = HashDimensions(model) });
        }

        var endpoint = ServerSettings.Url(ServerSettings.NonEmpty(Endpoint), "--endpoint") ?? ServerSettings.EndpointFromEnvironment(environment);
        var apiKey = ServerSettings.NonEmpty(ApiKey) ?? ServerSettings.ApiKeyFromEnvironment(environment);
        if (endpoint is null && apiKey is null)
        {
            var choices = WithoutServer is null
                ? "pass --endpoint URL (or set AGENTS_ENDPOINT), or set OPENAI_API_KEY to use OpenAI"
                : $"pass --endpoint URL (or set AGENTS_ENDPOINT), set OPENAI_API_KEY to use OpenAI, or {WithoutServer}";
            throw new UsageException($"Embedding model '{model}' is hosted, but no server is set; {choices}.");
        }

        return HostedEmbeddingGenerator.Create(new HostedModelOptions { ModelId = model, Endpoint = endpoint, ApiKey = apiKey });
    }

    // "hash" takes the generator's default width (384, like the small sentence-embedding models); "hash:N" or the
    // recorded "hash-N" picks N.
    private static int HashDimensions(string model)
    {
        if (model.Length == HashModel.Length)
        {
            return new HashingEmbeddingGeneratorOptions().Dimensions;
        }

        return int.TryParse(model.AsSpan(HashModel.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var dimensions) && dimensions is >= 8 and <= 8192
            ? dimensions
            : throw new UsageException($"Embedding model '{model}' is not valid; use hash or hash:DIMENSIONS with 8 to 8192 dimensions.");
    }
}
