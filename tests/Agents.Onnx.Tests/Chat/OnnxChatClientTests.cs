using Agents.Memory;
using Agents.Onnx.Chat;
using Agents.Testing;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Onnx.Tests.Chat;

public sealed class OnnxChatClientTests
{
    private static readonly ChatOptions Greedy = new() { Temperature = 0, MaxOutputTokens = 24 };

    [Fact]
    public async Task Greedy_reply_matches_the_numpy_reference_token_for_token()
    {
        // The golden chat case is the ChatML the model's template renders for one user turn.
        var golden = TinyModels.LlamaGolden().Single(c => c.Prompt.Contains("weather", StringComparison.Ordinal));
        using var client = new OnnxChatClient(TinyModels.Llama);

        var reply = await ChatReplies.CollectAsync(client, [new ChatMessage(ChatRole.User, "What is the weather in Paris?")], Greedy);

        Assert.Equal(golden.GreedyIds, reply.TokenIds);
        Assert.Equal(golden.PromptIds.Length, reply.Response.Usage!.InputTokenCount);
        Assert.Equal(golden.GreedyIds.Length, reply.Response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Every_golden_prompt_encodes_and_continues_as_the_reference_does()
    {
        // A template that passes the text through, so the prompt is exactly the golden one.
        using var client = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ChatTemplate = "{% for m in messages %}{{ m.content }}{% endfor %}" });
        var counter = client.GetService<ITokenCounter>()!;
        foreach (var (prompt, promptIds, greedyIds) in TinyModels.LlamaGolden())
        {
            Assert.Equal(promptIds.Length, counter.CountTokens(prompt));

            var reply = await ChatReplies.CollectAsync(client, [new ChatMessage(ChatRole.User, prompt)], Greedy);

            Assert.Equal(greedyIds, reply.TokenIds);
        }
    }

    [Fact]
    public async Task A_second_turn_reuses_the_cache_and_replies_as_a_cold_start_does()
    {
        using var warm = new OnnxChatClient(TinyModels.Llama);
        List<ChatMessage> history = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is the weather in Paris?")];
        var first = await ChatReplies.CollectAsync(warm, history, Greedy);
        history.Add(new ChatMessage(ChatRole.Assistant, first.Response.Text));
        history.Add(new ChatMessage(ChatRole.User, "And in Oslo?"));

        var second = await ChatReplies.CollectAsync(warm, history, Greedy);
        using var cold = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ReuseKeyValueCache = false });
        var coldSecond = await ChatReplies.CollectAsync(cold, history, Greedy);

        Assert.True(warm.LastReusedTokenCount > first.Response.Usage!.InputTokenCount!.Value, $"reused {warm.LastReusedTokenCount} tokens");
        Assert.Equal(0, cold.LastReusedTokenCount);
        Assert.Equal(coldSecond.TokenIds, second.TokenIds);
    }

    [Fact]
    public async Task A_turn_that_differs_only_from_the_last_reply_token_on_is_served_from_the_cache()
    {
        // The one-token reply is in the sequence but not yet in the cache: the rewind lands just before it.
        using var warm = new OnnxChatClient(TinyModels.Llama);
        List<ChatMessage> history = [new(ChatRole.User, "What is the weather in Paris?")];
        await ChatReplies.CollectAsync(warm, history, new ChatOptions { Temperature = 0, MaxOutputTokens = 1 });
        history.Add(new ChatMessage(ChatRole.Assistant, "Sunny."));
        history.Add(new ChatMessage(ChatRole.User, "And tomorrow?"));

        var next = await ChatReplies.CollectAsync(warm, history, Greedy);
        using var cold = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ReuseKeyValueCache = false });
        var coldNext = await ChatReplies.CollectAsync(cold, history, Greedy);

        Assert.True(warm.LastReusedTokenCount > 0);
        Assert.Equal(coldNext.TokenIds, next.TokenIds);
    }

    [Fact]
    public async Task An_edited_history_rewinds_to_the_common_prefix()
    {
        using var warm = new OnnxChatClient(TinyModels.Llama);
        await ChatReplies.CollectAsync(warm, [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is the weather in Paris?")], Greedy);
        List<ChatMessage> edited = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "What is the time in Paris?")];

        var rewound = await ChatReplies.CollectAsync(warm, edited, Greedy);
        using var cold = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ReuseKeyValueCache = false });
        var coldReply = await ChatReplies.CollectAsync(cold, edited, Greedy);

        Assert.InRange(warm.LastReusedTokenCount, 1, rewound.Response.Usage!.InputTokenCount!.Value - 1);
        Assert.Equal(coldReply.TokenIds, rewound.TokenIds);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_reply_before_it()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        List<ChatMessage> messages = [new(ChatRole.User, "What is the weather in Paris?")];
        var full = (await ChatReplies.CollectAsync(client, messages, Greedy)).Response.Text;
        var stop = full.Substring(6, 3);

        var stopped = await ChatReplies.CollectAsync(client, messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 24, StopSequences = [stop] });

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Response.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.Response.FinishReason);
    }

    [Fact]
    public async Task The_output_token_limit_ends_the_reply_with_finish_reason_length()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);

        var reply = await ChatReplies.CollectAsync(client, [new(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 5 });

        Assert.Equal(5, reply.TokenIds.Length);
        Assert.Equal(ChatFinishReason.Length, reply.Response.FinishReason);
    }

    [Fact]
    public async Task Cancelling_mid_reply_stops_it_and_the_model_serves_the_next_request()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        using var cancellation = new CancellationTokenSource();
        var pieces = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 200 }, cancellation.Token))
            {
                pieces++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, pieces);
        var next = await ChatReplies.CollectAsync(client, [new(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 3 });
        Assert.Equal(3, next.TokenIds.Length);
    }

    [Fact]
    public async Task Seeded_sampling_repeats_and_different_seeds_differ()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        List<ChatMessage> messages = [new(ChatRole.User, "Hello")];
        ChatOptions Seeded(long seed) => new() { Temperature = 1.5f, TopK = 100, Seed = seed, MaxOutputTokens = 16 };

        var a = await ChatReplies.CollectAsync(client, messages, Seeded(1));
        var again = await ChatReplies.CollectAsync(client, messages, Seeded(1));
        var b = await ChatReplies.CollectAsync(client, messages, Seeded(2));

        Assert.Equal(a.TokenIds, again.TokenIds);
        Assert.NotEqual(a.TokenIds, b.TokenIds);
    }

    [Fact]
    public void Clients_of_one_folder_share_one_loaded_model_until_the_last_is_disposed()
    {
        // A folder of its own, so no test running alongside holds the same model.
        using var temp = new TempFolder();
        var folder = temp.CopyFolder(TinyModels.Llama, "model");
        var first = new OnnxChatClient(folder);
        var second = new OnnxChatClient(folder + Path.DirectorySeparatorChar);
        var shared = first.GetService<Model>();

        Assert.Same(shared, second.GetService<Model>());
        first.Dispose();
        Assert.Same(shared, second.GetService<Model>());
        second.Dispose();

        using var third = new OnnxChatClient(folder);
        Assert.NotSame(shared, third.GetService<Model>());
    }

    [Fact]
    public async Task Concurrent_requests_on_one_model_are_serialised_and_each_gets_its_own_reply()
    {
        using var first = new OnnxChatClient(TinyModels.Llama);
        using var second = new OnnxChatClient(TinyModels.Llama);
        string[] questions = ["What is the weather in Paris?", "Hello", "What is the time in Oslo?", "The quick brown fox"];
        var alone = new List<int[]>();
        foreach (var question in questions)
        {
            alone.Add((await ChatReplies.CollectAsync(first, [new(ChatRole.User, question)], Greedy)).TokenIds);
        }

        var together = await Task.WhenAll(questions.Select((question, i) => Task.Run(() =>
            ChatReplies.CollectAsync(i % 2 == 0 ? first : second, [new(ChatRole.User, question)], Greedy))));

        Assert.Equal(alone, together.Select(r => r.TokenIds));
    }

    [Fact]
    public void Reports_the_context_window_device_and_metadata()
    {
        using var client = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { Device = OnnxDevice.Cpu });

        Assert.Equal(4096, client.ContextWindow);
        Assert.Equal(OnnxDevice.Cpu, client.Device);
        Assert.Equal("tiny-llama", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Same(ToolCallFormat.Hermes, client.ToolCallFormat);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_window_is_a_clear_error()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        var huge = string.Join(" ", Enumerable.Repeat("weather", 5000));

        var error = await Assert.ThrowsAsync<OnnxModelException>(() => client.GetResponseAsync([new(ChatRole.User, huge)]));

        Assert.Matches(@"^The prompt is [\d,]+ tokens but the model's context window is 4,096; trim the history", error.Message);
    }
}
