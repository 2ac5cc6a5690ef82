using System.ComponentModel;
using Agents.Onnx.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.Onnx.Tests;

public sealed class OnnxServiceCollectionExtensionsTests
{
    [Fact]
    public async Task A_kernel_runs_a_prompt_function_on_the_local_model()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddOnnxChatClient(TinyModels.Llama);
        var kernel = builder.Build();
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["temperature"] = 0, ["max_tokens"] = 6 } };

        var result = await kernel.InvokePromptAsync("Say hello to {{$name}}.", new KernelArguments(settings) { ["name"] = "Ada" });

        Assert.False(string.IsNullOrEmpty(result.GetValue<string>()));
    }

    [Fact]
    public async Task Auto_function_calling_runs_a_plugin_with_the_arguments_the_model_wrote()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddOnnxChatClient(TinyModels.Llama);
        var weather = new WeatherPlugin();
        builder.Plugins.AddFromObject(weather, "weather");
        var kernel = builder.Build();
        // Required on the first request (SK then lets the model answer freely), so even an untrained model calls the plugin.
        var settings = new PromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Required(),
            ExtensionData = new Dictionary<string, object> { ["temperature"] = 0, ["max_tokens"] = 40 },
        };

        await kernel.InvokePromptAsync("What is the weather in Oslo?", new KernelArguments(settings));

        var city = Assert.Single(weather.Cities);
        Assert.Contains(city, new[] { "Paris", "Oslo", "Lima" });
    }

    [Fact]
    public void The_chat_completion_service_and_chat_client_resolve_from_plain_services()
    {
        var services = new ServiceCollection();
        services.AddOnnxChatClient(TinyModels.Llama, serviceId: "local");
        using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredKeyedService<IChatCompletionService>("local");
        var client = provider.GetRequiredKeyedService<IChatClient>("local");

        Assert.NotNull(chat);
        Assert.NotNull(client.GetService<OnnxChatClient>());
    }

    [Fact]
    public async Task A_kernel_embeds_with_the_local_embedding_model()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddOnnxEmbeddingGenerator(Path.Combine(AppContext.BaseDirectory, "models", "tiny-bert"));
        var kernel = builder.Build();
        var generator = kernel.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var embeddings = await generator.GenerateAsync(["the weather in paris", "the time in oslo"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1f, MathF.Sqrt(e.Vector.Span.ToArray().Sum(x => x * x)), 4));
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
    }

    private sealed class WeatherPlugin
    {
        public List<string> Cities { get; } = [];

        [KernelFunction("get_weather")]
        [Description("Gets the weather for a city.")]
        public string GetWeather([Description("The city.")] City city)
        {
            Cities.Add(city.ToString());
            return "18 degrees";
        }
    }

    private enum City
    {
        Paris,
        Oslo,
        Lima,
    }
}
