using System.Text.Json;
using Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Agents.Tests.Memory;

public sealed class ContextWindowFitterTests
{
    private static readonly TiktokenTokenizer Tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    private readonly ContextWindowFitter _fitter = new(TiktokenTokenCounter.ForEncoding(TiktokenTokenCounter.O200kBase));

    [Fact]
    public void A_message_costs_its_overhead_plus_its_text_calls_and_results()
    {
        var text = new ChatMessage(ChatRole.User, "What is the weather in Paris?") { AuthorName = "ana" };
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 })]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "18 C and sunny")]);

        Assert.Equal(4 + Tokens("ana") + Tokens("What is the weather in Paris?"), _fitter.CountTokens(text));
        Assert.Equal(4 + Tokens("get_weather") + Tokens("""{"city":"Paris","days":3}"""), _fitter.CountTokens(call));
        Assert.Equal(4 + Tokens("18 C and sunny"), _fitter.CountTokens(result));
        Assert.Equal(3 + (4 + Tokens("ana") + Tokens("What is the weather in Paris?")) + (4 + Tokens("18 C and sunny")), _fitter.CountTokens([text, result]));
    }

    [Theory]
    [InlineData(120)]
    [InlineData(200)]
    [InlineData(333)]
    [InlineData(500)]
    [InlineData(777)]
    [InlineData(1500)]
    public void A_200_turn_history_is_cut_to_the_newest_whole_units_that_fit(int budget)
    {
        var history = LongHistory(turns: 200);

        var fitted = _fitter.Fit(history, budget);

        var used = 3 + fitted.Sum(IndependentCost);
        Assert.True(used <= budget, $"{used} tokens kept for a budget of {budget}.");
        Assert.Same(history[0], fitted[0]);
        Assert.Same(history[^1], fitted[^1]);

        var indices = fitted.Select(m => IndexOf(history, m)).ToList();
        Assert.Equal(indices.Order(), indices);

        // What is kept after the system prompt is one unbroken stretch of the newest history...
        var first = indices[1];
        Assert.Equal(Enumerable.Range(first, history.Count - first), indices.Skip(1));

        // ...and the unit just before it would not have fitted.
        var unitStart = first - 1;
        while (history[unitStart].Contents.Any(c => c is FunctionResultContent))
        {
            unitStart--;
        }

        Assert.True(unitStart > 0, "The whole history fitted, so the test checks nothing; lower the budgets.");
        var unitCost = history.Skip(unitStart).Take(first - unitStart).Sum(IndependentCost);
        Assert.True(used + unitCost > budget, $"The unit at {unitStart} ({unitCost} tokens) would have fitted in the {budget - used} left.");

        AssertCallsAndResultsPaired(fitted);
    }

    [Fact]
    public void A_large_window_keeps_everything()
    {
        var history = LongHistory(turns: 20);

        Assert.Equal(history, _fitter.Fit(history, 1_000_000));
    }

    [Fact]
    public void A_call_is_dropped_with_its_results_even_when_the_results_alone_would_fit()
    {
        var bigArguments = new Dictionary<string, object?> { ["query"] = string.Join(' ', Enumerable.Repeat("select everything from everywhere", 40)) };
        var system = new ChatMessage(ChatRole.System, "You are terse.");
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "sql_query", bigArguments)]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "3 rows")]);
        var answer = new ChatMessage(ChatRole.Assistant, "Three rows.");
        var question = new ChatMessage(ChatRole.User, "And now?");
        ChatMessage[] history = [system, new(ChatRole.User, "How many?"), call, result, answer, question];
        var budget = _fitter.CountTokens([system, result, answer, question]) + 10;

        var fitted = _fitter.Fit(history, budget);

        Assert.Equal([system, answer, question], fitted);
    }

    [Fact]
    public void Parallel_calls_and_their_results_stay_together()
    {
        ChatMessage[] history =
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.User, "compare"),
            new(ChatRole.Assistant, [new FunctionCallContent("a", "lookup", new Dictionary<string, object?> { ["x"] = 1 }), new FunctionCallContent("b", "lookup", new Dictionary<string, object?> { ["x"] = 2 })]),
            new(ChatRole.Tool, [new FunctionResultContent("a", "one")]),
            new(ChatRole.Tool, [new FunctionResultContent("b", "two")]),
            new(ChatRole.User, "thanks"),
        ];

        for (var budget = _fitter.CountTokens([history[0], history[^1]]); budget <= _fitter.CountTokens(history); budget++)
        {
            var fitted = _fitter.Fit(history, budget);
            AssertCallsAndResultsPaired(fitted);
            Assert.True(fitted.Count is 2 or 5 or 6, $"{fitted.Count} messages kept for {budget} tokens.");
        }
    }

    [Fact]
    public void A_result_whose_call_is_not_in_the_history_is_never_sent()
    {
        ChatMessage[] history =
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.Tool, [new FunctionResultContent("lost", "stale")]),
            new(ChatRole.Assistant, "hello"),
            new(ChatRole.User, "hi"),
        ];

        Assert.Equal([history[0], history[2], history[3]], _fitter.Fit(history, 10_000));
    }

    [Fact]
    public void System_messages_are_kept_where_they_are()
    {
        ChatMessage[] history =
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.User, string.Join(' ', Enumerable.Repeat("old words", 200))),
            new(ChatRole.System, "The user switched to French."),
            new(ChatRole.Assistant, "D'accord."),
            new(ChatRole.User, "Bonjour"),
        ];

        Assert.Equal([history[0], history[2], history[3], history[4]], _fitter.Fit(history, 100));
    }

    [Fact]
    public void Too_small_a_window_for_the_system_prompt_and_newest_question_is_a_clear_error()
    {
        var system = new ChatMessage(ChatRole.System, string.Join(' ', Enumerable.Repeat("rule", 100)));
        var question = new ChatMessage(ChatRole.User, "Why?");
        var needed = _fitter.CountTokens([system, question]);

        var error = Assert.Throws<ContextWindowExceededException>(() => _fitter.Fit([system, new(ChatRole.Assistant, "old"), question], 50));

        Assert.Equal(needed, error.RequiredTokens);
        Assert.Equal(50, error.MaxInputTokens);
        Assert.Equal($"The system prompt and the newest user message need {needed} tokens but the context window allows 50; shorten them or raise the context window.", error.Message);
    }

    [Fact]
    public void Fitting_counts_each_message_once()
    {
        var counter = new CallCountingCounter(TiktokenTokenCounter.ForEncoding(TiktokenTokenCounter.O200kBase));
        var fitter = new ContextWindowFitter(counter);
        var history = LongHistory(turns: 200);
        foreach (var message in history)
        {
            fitter.CountTokens(message);
        }

        var oncePerMessage = counter.Calls;
        counter.Calls = 0;
        fitter.Fit(history, 500);

        Assert.Equal(oncePerMessage, counter.Calls);
    }

    // A system prompt, then turns of question → (every third turn: tool calls and results) → answer, then a new question.
    private static List<ChatMessage> LongHistory(int turns)
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are a careful assistant for a music store. Answer briefly.") };
        for (var t = 0; t < turns; t++)
        {
            history.Add(new(ChatRole.User, $"Question {t}: which album of artist {t * 7 % 31} sold best in year {1990 + t % 30}?"));
            if (t % 3 == 0)
            {
                var calls = t % 6 == 0 ? 2 : 1;
                history.Add(new(ChatRole.Assistant, [.. Enumerable.Range(0, calls).Select(c => (AIContent)new FunctionCallContent(
                    $"call_{t}_{c}", "sql_query", new Dictionary<string, object?> { ["query"] = $"SELECT title FROM albums WHERE artist = {t + c}", ["limit"] = 5 }))]));
                for (var c = 0; c < calls; c++)
                {
                    history.Add(new(ChatRole.Tool, [new FunctionResultContent($"call_{t}_{c}", $"[{{\"title\":\"Album {t}-{c}\",\"sales\":{t * 1000 + c}}}]")]));
                }
            }

            history.Add(new(ChatRole.Assistant, $"Album {t} was the best seller, with {t * 1000} copies."));
        }

        history.Add(new(ChatRole.User, "And which one sold worst overall?"));
        return history;
    }

    // The formula from ContextWindowFitter's documentation, computed with the tokenizer directly.
    private static int IndependentCost(ChatMessage message) => 4 + message.Contents.Sum(content => content switch
    {
        TextContent text => Tokens(text.Text),
        FunctionCallContent call => Tokens(call.Name) + Tokens(JsonSerializer.Serialize(call.Arguments)),
        FunctionResultContent { Result: string result } => Tokens(result),
        _ => throw new InvalidOperationException($"The test history holds no {content.GetType().Name}."),
    });

    private static int Tokens(string text) => Tokenizer.CountTokens(text);

    private static int IndexOf(IReadOnlyList<ChatMessage> history, ChatMessage message)
    {
        for (var i = 0; i < history.Count; i++)
        {
            if (ReferenceEquals(history[i], message))
            {
                return i;
            }
        }

        throw new InvalidOperationException("The fitter returned a message that is not in the history.");
    }

    private static void AssertCallsAndResultsPaired(IReadOnlyList<ChatMessage> messages)
    {
        var calls = new HashSet<string>();
        var results = new HashSet<string>();
        foreach (var content in messages.SelectMany(m => m.Contents))
        {
            if (content is FunctionCallContent call)
            {
                calls.Add(call.CallId);
            }
            else if (content is FunctionResultContent result)
            {
                Assert.True(calls.Contains(result.CallId), $"Result {result.CallId} is kept without the call that asked for it.");
                results.Add(result.CallId);
            }
        }

        Assert.Equal(calls.Order(), results.Order());
    }

    [Fact]
    public void A_chat_format_counter_sets_each_messages_overhead_and_the_reply_priming()
    {
        var fitter = new ContextWindowFitter(new WordsInAVerboseFormat());
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "be brief"),
            new(ChatRole.User, "one two three"),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "four five")]),
        ];

        Assert.Equal(10 + 2, fitter.CountTokens(messages[0]));
        Assert.Equal(10 + 3, fitter.CountTokens(messages[1]));
        Assert.Equal(25 + 2, fitter.CountTokens(messages[2]));
        Assert.Equal(7 + 12 + 13 + 27, fitter.CountTokens(messages));
        // Budget for the system message, the question and priming only: the orphaned tool result is dropped anyway.
        Assert.Equal(2, fitter.Fit(messages, 7 + 12 + 13).Count);
        Assert.Throws<ContextWindowExceededException>(() => fitter.Fit(messages, 7 + 12 + 13 - 1));
    }

    [Fact]
    public void Tool_declarations_cost_their_name_description_and_schema_or_what_the_chat_format_says()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement.Clone();
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "Weather for a city", schema);
        var counter = TiktokenTokenCounter.ForEncoding(TiktokenTokenCounter.O200kBase);

        var estimate = new ContextWindowFitter(counter).CountTokens([tool]);

        Assert.Equal(counter.CountTokens("get_weather") + counter.CountTokens("Weather for a city") + counter.CountTokens(tool.JsonSchema.GetRawText()), estimate);
        Assert.Equal(0, new ContextWindowFitter(counter).CountTokens(Array.Empty<AITool>()));
        Assert.Equal(40, new ContextWindowFitter(new WordsInAVerboseFormat()).CountTokens([tool]));
    }

    /// <summary>Counts words, in a chat format that costs 10 tokens a message, 25 for a tool result, and 7 to start the reply.</summary>
    private sealed class WordsInAVerboseFormat : IChatFormatTokenCounter
    {
        public int ReplyPrimingTokens => 7;

        public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

        public int CountMessageOverhead(ChatMessage message) =>
            message.Contents.OfType<FunctionResultContent>().Any() ? 25 : 10;

        public int CountToolsOverhead(IReadOnlyList<AITool> tools) => 40 * tools.Count;
    }

    private sealed class CallCountingCounter(ITokenCounter inner) : ITokenCounter
    {
        public int Calls { get; set; }

        public int CountTokens(string text)
        {
            Calls++;
            return inner.CountTokens(text);
        }
    }
}
