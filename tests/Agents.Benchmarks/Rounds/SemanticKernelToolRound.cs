using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Agents.Benchmarks.Rounds;

/// <summary>Semantic Kernel's auto function calling: the OpenAI connector, a plugin, <c>FunctionChoiceBehavior.Auto()</c>.</summary>
internal sealed class SemanticKernelToolRound : ToolRound
{
    private readonly Kernel _kernel;
    private readonly IChatCompletionService _chat;
    private readonly OpenAIPromptExecutionSettings _settings = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    // SK exposes plugin functions to the model as plugin-function.
    public SemanticKernelToolRound()
        : base("math-add")
    {
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion(ToolRoundScript.ModelId, ToolRoundScript.ApiKey, httpClient: Http);
        builder.Plugins.AddFromFunctions("math", [KernelFunctionFactory.CreateFromMethod(ToolRoundScript.Add, "add")]);
        _kernel = builder.Build();
        _chat = _kernel.GetRequiredService<IChatCompletionService>();
    }

    public override string Name => "Semantic Kernel";

    public override async Task<string?> RunAsync(CancellationToken cancellationToken = default)
    {
        var history = new ChatHistory(ToolRoundScript.Instructions);
        history.AddUserMessage(ToolRoundScript.Question);
        var reply = await _chat.GetChatMessageContentAsync(history, _settings, _kernel, cancellationToken).ConfigureAwait(false);
        return reply.Content;
    }
}
