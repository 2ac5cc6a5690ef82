using Agents.Onnx.Chat;
using Agents.Onnx.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.Onnx;

/// <summary>
/// Registers local ONNX models the way Semantic Kernel's own connectors register theirs, so an app that used
/// SK's ONNX connector switches in one line: <c>builder.AddOnnxChatClient(modelFolder)</c>.
/// </summary>
public static class OnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="OnnxChatClient"/> for <paramref name="modelFolder"/> as the <see cref="IChatClient"/> (with Semantic
    /// Kernel's function invocation, so <c>FunctionChoiceBehavior.Auto()</c> runs plugins) and as the <see cref="IChatCompletionService"/>.
    /// </summary>
    public static IServiceCollection AddOnnxChatClient(this IServiceCollection services, string modelFolder, OnnxChatClientOptions? options = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        services.AddKeyedSingleton(serviceId, (provider, _) =>
        {
            var loggers = provider.GetService<ILoggerFactory>();
            var clientOptions = options ?? new OnnxChatClientOptions { LoggerFactory = loggers };
            return new OnnxChatClient(modelFolder, clientOptions)
                .AsBuilder()
                .UseKernelFunctionInvocation(loggers)
                .Build(provider);
        });
        services.AddKeyedSingleton(serviceId, (provider, key) => provider.GetRequiredKeyedService<IChatClient>(key).AsChatCompletionService(provider));
        return services;
    }

    /// <summary>Registers an <see cref="OnnxEmbeddingGenerator"/> for the sentence-embedding model in <paramref name="modelFolder"/>.</summary>
    public static IServiceCollection AddOnnxEmbeddingGenerator(this IServiceCollection services, string modelFolder, OnnxEmbeddingGeneratorOptions? options = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(serviceId, (provider, _) =>
            new OnnxEmbeddingGenerator(modelFolder, options, provider.GetService<ILoggerFactory>()?.CreateLogger<OnnxEmbeddingGenerator>()));
        return services;
    }

    /// <inheritdoc cref="AddOnnxEmbeddingGenerator(IServiceCollection, string, OnnxEmbeddingGeneratorOptions?, string?)"/>
    public static IKernelBuilder AddOnnxEmbeddingGenerator(this IKernelBuilder builder, string modelFolder, OnnxEmbeddingGeneratorOptions? options = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOnnxEmbeddingGenerator(modelFolder, options, serviceId);
        return builder;
    }

    /// <inheritdoc cref="AddOnnxChatClient(IServiceCollection, string, OnnxChatClientOptions?, string?)"/>
    public static IKernelBuilder AddOnnxChatClient(this IKernelBuilder builder, string modelFolder, OnnxChatClientOptions? options = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOnnxChatClient(modelFolder, options, serviceId);
        return builder;
    }
}
