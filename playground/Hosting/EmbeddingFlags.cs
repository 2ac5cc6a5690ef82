using System.Globalization;
using Agents.Models;
using Agents.Onnx.Embeddings;
using Agents.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace Agents.Playground.Hosting;

/// <summary>
/// The embedding model given to <c>ingest</c> and <c>search</c>: <c>hash</c> / <c>hash:DIMENSIONS</c> for the offline
/// lexical generator, <c>onnx:PATH</c> for a local sentence-embedding model folder, or a hosted model id served at
/// <c>--endpoint</c> (or AGENTS_ENDPOINT / OPENAI_BASE_URL).
/// Precedence: flag, then what the store recorded, then AGENTS_EMBEDDING_MODEL, then <c>hash</c> for a new store.
/// </summary>
/// <remarks>
/// A store made with <c>onnx:PATH</c> records <c>onnx:</c> and the folder's name (<c>onnx:all-MiniLM-L6-v2</c>), not the
/// path, so the store still matches its model once either moves. To search it, name the folder again with
/// <c>--embedding-model onnx:PATH</c> or AGENTS_EMBEDDING_MODEL; a recorded name alone is read as a folder of that
/// name in the current directory.
/// </remarks>
internal sealed record EmbeddingFlags(string? Model, string? Endpoint, string? ApiKey)
{
    public const string HashModel = "hash";
    public const string OnnxPrefix = "onnx:";

    /// <summary>What else the user can do when a hosted model has no server, e.g. "search with --mode keyword"; null for nothing.</summary>
    public string? WithoutServer { get; init; }

    /// <summary>The model id to use, given what the store recorded (null for a new store).</summary>
    public string ResolveModel(string? storeModel, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var variable = ServerSettings.NonEmpty(environment("AGENTS_EMBEDDING_MODEL"));

        // The store knows a local model only by its folder's name; the variable may say where that folder is.
        if (storeModel is not null && IsOnnx(storeModel) && variable is not null && IsOnnx(variable) && OnnxModelId(variable) == storeModel)
        {
            storeModel = variable;
        }

        return ServerSettings.NonEmpty(Model) ?? storeModel ?? variable ?? HashModel;
    }

    /// <summary>The generator for <paramref name="model"/>.</summary>
    /// <exception cref="UsageException">The model id is malformed or names an unreachable server.</exception>
    public IEmbeddingGenerator<string, Embedding<float>> Create(string model, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(environment);
        if (IsOnnx(model))
        {
            return CreateOnnx(model);
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

    private static bool IsOnnx(string model) => model.StartsWith(OnnxPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>"onnx:" and the folder's name: what a store records for <c>onnx:PATH</c>.</summary>
    private static string OnnxModelId(string model) =>
        OnnxPrefix + Path.GetFileName(Path.GetFullPath(model[OnnxPrefix.Length..]).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    private static OnnxEmbeddingGenerator CreateOnnx(string model)
    {
        var path = model[OnnxPrefix.Length..];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"Embedding model '{model}' names no folder; use onnx:PATH with the folder of a sentence-embedding model (model.onnx and vocab.txt).");
        }

        try
        {
            return new OnnxEmbeddingGenerator(path, new OnnxEmbeddingGeneratorOptions { ModelId = OnnxModelId(model) });
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"The ONNX embedding model folder '{Path.GetFullPath(path)}' does not exist; pass --embedding-model onnx:PATH with the model's folder (a store records the folder's name, not its path).");
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or NotSupportedException)
        {
            // Already one sentence naming the file and what is wrong with it.
            throw new UsageException(ex.Message);
        }
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
