using System.ComponentModel;
using Agents.Memory;
using Agents.Onnx.Chat;
using Agents.Steps;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Onnx.Tests.Chat;

public sealed class OnnxAgentTests
{
    [Fact]
    public async Task An_agent_runs_end_to_end_on_the_local_model_with_a_tool()
    {
        using var model = new OnnxChatClient(TinyModels.Llama);
        // The untrained model is steered to call a tool first and answer after; what it writes stays its own.
        using var steered = new CallFirstThenAnswer(model);
        var clock = new ClockTool();
        var options = new AgentOptions
        {
            Name = "tiny",
            Instructions = "Tell the time.",
            ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 40 },
            ContextWindow = model.ContextWindow,
            TokenCounter = model.GetService<ITokenCounter>(),
        };
        options.Tools.Add(KernelFunctionFactory.CreateFromMethod(clock.Now, "current_time"));
        var agent = new Agent(steered, options);

        var result = await agent.RunAsync("What time is it in Oslo?");

        Assert.True(result.Succeeded, result.Error);
        var call = Assert.Single(result.Steps.OfType<ToolCallStep>());
        Assert.Equal("current_time", call.Tool);
        Assert.Contains(Assert.IsType<string>(call.Arguments!["zone"]), ClockTool.Zones);
        Assert.True(Assert.Single(result.Steps.OfType<ToolResultStep>()).Ok);
        Assert.Equal(1, clock.Calls);
        Assert.False(string.IsNullOrEmpty(result.Answer));
        Assert.True(result.Usage.InputTokens > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_agent_fits_a_long_session_with_the_local_models_own_tokenizer(bool withTool)
    {
        // Byte-level tokens: this history is ≈1,300 tokens to tiktoken but over 4,096 to the model, so only counting
        // with the model's tokenizer keeps the prompt inside its window.
        var session = AgentSession.InMemory();
        for (var i = 0; i < 60; i++)
        {
            await session.AppendTurnAsync([new ChatMessage(ChatRole.User, $"Frage {i}: Wie wird das Wetter übermorgen in Zürich, Genf und Lugano?"), new ChatMessage(ChatRole.Assistant, $"Antwort {i}: überwiegend sonnig, später örtlich Gewitter.")]);
        }

        using var model = new OnnxChatClient(TinyModels.Llama);
        var counter = model.GetService<ITokenCounter>()!;
        Assert.True(session.History.Sum(m => counter.CountTokens(m.Text)) > model.ContextWindow, "the history must not fit as it is");
        var options = new AgentOptions
        {
            Name = "tiny",
            ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 8 },
            ContextWindow = model.ContextWindow,
        };
        if (withTool)
        {
            // Its declaration is rendered into every prompt, so the history gets that much less room.
            options.Tools.Add(KernelFunctionFactory.CreateFromMethod(new ClockTool().Now, "current_time"));
        }

        var agent = new Agent(model, options);

        var result = await agent.RunAsync("Und morgen?", session);

        Assert.True(result.Succeeded, result.Error);
        Assert.InRange(result.Usage.InputTokens, 1, model.ContextWindow - 8);
    }

    private sealed class ClockTool
    {
        public static readonly string[] Zones = Enum.GetNames<Zone>();

        public int Calls { get; private set; }

        [Description("The current time in a time zone.")]
        public string Now([Description("The zone.")] Zone zone)
        {
            Calls++;
            return $"12:00 in {zone}";
        }
    }

    private enum Zone
    {
        Oslo,
        Utc,
        Tokyo,
    }

    private sealed class CallFirstThenAnswer(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var steered = options?.Clone() ?? new ChatOptions();
            var answered = messages.Any(m => m.Contents.OfType<Microsoft.Extensions.AI.FunctionResultContent>().Any());
            steered.ToolMode = answered ? ChatToolMode.None : ChatToolMode.RequireAny;
            return base.GetStreamingResponseAsync(messages, steered, cancellationToken);
        }

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);
    }
}
