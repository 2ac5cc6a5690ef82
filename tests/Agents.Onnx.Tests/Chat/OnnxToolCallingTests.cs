using System.Text.Json;
using Agents.Onnx.Chat;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace Agents.Onnx.Tests.Chat;

/// <summary>
/// The tiny model has random weights, so anything it writes that is a well-formed call to an offered tool
/// with schema-valid arguments is the grammar's doing, not the model's.
/// </summary>
public sealed class OnnxToolCallingTests
{
    private static readonly AIFunctionDeclaration[] Tools =
    [
        Tool("get_weather", """{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Oslo","Lima"]},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"],"additionalProperties":false}"""),
        Tool("book_trip", """{"type":"object","properties":{"traveller":{"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":120}},"required":["name","age"],"additionalProperties":false},"legs":{"type":"array","items":{"type":"string","enum":["train","plane","boat"]},"minItems":1,"maxItems":3},"refundable":{"type":"boolean"}},"required":["traveller","legs","refundable"],"additionalProperties":false}"""),
        Tool("add", """{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"],"additionalProperties":false}"""),
        Tool("ping", """{"type":"object","properties":{},"additionalProperties":false}"""),
    ];

    public static TheoryData<string> Formats => new() { "hermes", "llama3", "phi4" };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_required_call_is_always_to_an_offered_tool_with_schema_valid_arguments(string formatName)
    {
        var format = new[] { ToolCallFormat.Hermes, ToolCallFormat.Llama3, ToolCallFormat.Phi4 }.Single(f => f.Name == formatName);
        using var client = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ToolCallFormat = format });
        var calls = 0;
        for (var seed = 1; seed <= 6; seed++)
        {
            var options = new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.RequireAny, Temperature = 1, TopK = 300, Seed = seed, MaxOutputTokens = 300 };

            var response = await client.GetResponseAsync([new(ChatRole.User, "Plan my trip and check the weather.")], options);

            // An untrained model may write digits until the token limit; what it finished must still be valid.
            Assert.True(response.FinishReason == ChatFinishReason.ToolCalls || response.FinishReason == ChatFinishReason.Length, $"finish reason {response.FinishReason}");
            var made = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            Assert.True(made.Count > 0 || response.FinishReason == ChatFinishReason.Length, "a finished reply without a call");
            foreach (var call in made)
            {
                AssertValid(call);
                calls++;
            }

            Assert.DoesNotContain(format.OpenMarker, response.Text, StringComparison.Ordinal);
        }

        Assert.True(calls >= 4, $"{calls} calls in 6 replies");
    }

    [Fact]
    public async Task A_named_required_tool_is_the_one_called_and_non_ascii_arguments_decode_whole()
    {
        var city = Tool("find_city", """{"type":"object","properties":{"name":{"type":"string","enum":["서울 😀","Zürich","東京"]}},"required":["name"],"additionalProperties":false}""");
        using var client = new OnnxChatClient(TinyModels.Llama);
        var names = new HashSet<string>();
        for (var seed = 1; seed <= 8; seed++)
        {
            var options = new ChatOptions { Tools = [.. Tools, city], ToolMode = ChatToolMode.RequireSpecific("find_city"), Temperature = 1, TopK = 300, Seed = seed, MaxOutputTokens = 100 };

            var response = await client.GetResponseAsync([new(ChatRole.User, "Which city?")], options);

            var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
            Assert.Equal("find_city", call.Name);
            names.Add(Assert.IsType<string>(call.Arguments!["name"]));
        }

        Assert.Subset(new HashSet<string> { "서울 😀", "Zürich", "東京" }, names);
        Assert.DoesNotContain(names, n => n.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_tools_offered_freely_the_reply_is_text_or_valid_calls()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        for (var seed = 1; seed <= 4; seed++)
        {
            var options = new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.Auto, Temperature = 1, TopK = 300, Seed = seed, MaxOutputTokens = 40 };

            var response = await client.GetResponseAsync([new(ChatRole.User, "Hello")], options);

            foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
            {
                AssertValid(call);
            }

            Assert.DoesNotContain("<tool_call>", response.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_conversation_with_earlier_calls_and_results_is_rendered_and_answered()
    {
        using var client = new OnnxChatClient(TinyModels.Llama);
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["unit"] = "celsius" });
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "18 degrees and sunny")]),
        ];

        var reply = await ChatReplies.CollectAsync(client, history, new ChatOptions { Tools = [.. Tools], ToolMode = ChatToolMode.None, Temperature = 0, MaxOutputTokens = 8 });
        var historyTokens = reply.Response.Usage!.InputTokenCount;
        var shorter = await ChatReplies.CollectAsync(client, history.Take(1), new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });

        // The call and its result are in the prompt: it is longer than the question alone by at least their text.
        Assert.True(historyTokens > shorter.Response.Usage!.InputTokenCount + "18 degrees and sunny".Length / 2, $"{historyTokens} vs {shorter.Response.Usage.InputTokenCount}");
        Assert.Equal(8, reply.TokenIds.Length);
    }

    [Fact]
    public async Task Unconstrained_output_that_is_not_a_call_comes_back_as_text()
    {
        using var client = new OnnxChatClient(TinyModels.Llama, new OnnxChatClientOptions { ConstrainToolCalls = false });

        var response = await client.GetResponseAsync([new(ChatRole.User, "Hello")], new ChatOptions { Tools = [.. Tools], Temperature = 0, MaxOutputTokens = 20 });

        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotEmpty(response.Text);
    }

    private static void AssertValid(FunctionCallContent call)
    {
        var tool = Assert.Single(Tools, t => t.Name == call.Name);
        var schema = JsonSchema.Build(tool.JsonSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"urn:test:{call.Name}:{Guid.NewGuid():N}"));
        var arguments = JsonSerializer.SerializeToElement(call.Arguments);
        var result = schema.Evaluate(arguments, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{call.Name}({arguments.GetRawText()}) is not valid for its schema");
    }

    private static AIFunctionDeclaration Tool(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, $"The {name} tool.", JsonDocument.Parse(schema).RootElement.Clone());
}
