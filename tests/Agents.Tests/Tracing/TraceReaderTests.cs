using System.Text.Json;
using Agents.Steps;
using Agents.Tracing;

namespace Agents.Tests.Tracing;

public sealed class TraceReaderTests : IDisposable
{
    private static readonly DateTimeOffset s_at = new(2025, 11, 25, 15, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("agents-trace-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RoundTripsEveryStepType()
    {
        AgentStep[] steps =
        [
            new RunStartStep("helper", "What time is it?"),
            new ModelCallStep("gpt-test", 120, 30, TimeSpan.FromMilliseconds(350.5)),
            new ToolCallStep("current_time", "call_1", JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"zone":"UTC"}""")),
            new ToolResultStep("current_time", "call_1", false, "The tool failed.", TimeSpan.FromMilliseconds(2)),
            new AnswerStep("It is 15:30.", [new Citation("c1", "clock", "line 1"), new Citation("c2", "web")]),
            new ErrorStep("Step limit reached."),
            new RunEndStep(TimeSpan.FromMilliseconds(1234.5), new TokenUsage(130, 35)),
        ];
        var path = Path.Combine(_folder, "run.jsonl");
        await using (var writer = JsonlTraceWriter.Create(path))
        {
            foreach (var step in steps)
            {
                await writer.WriteAsync(step with { Timestamp = s_at });
            }
        }

        var read = await TraceReader.ReadAsync(path).ToListAsync();

        Assert.Equal(Enumerable.Range(1, steps.Length).Select(i => (long)i), read.Select(r => r.Seq));
        for (var i = 0; i < steps.Length; i++)
        {
            var expected = steps[i] with { Timestamp = s_at };
            if (expected is ToolCallStep call)
            {
                // JsonNode compares by reference; compare its text instead.
                var actual = Assert.IsType<ToolCallStep>(read[i].Step);
                Assert.Equal(JsonSerializer.Serialize(call.Arguments), JsonSerializer.Serialize(actual.Arguments));
                Assert.Equal(call with { Arguments = null }, actual with { Arguments = null });
            }
            else if (expected is AnswerStep answer)
            {
                var actual = Assert.IsType<AnswerStep>(read[i].Step);
                Assert.Equal(answer.Citations, actual.Citations);
                Assert.Equal(answer.Text, actual.Text);
            }
            else
            {
                Assert.Equal(expected, read[i].Step);
            }
        }
    }

    [Fact]
    public async Task KeepsUnknownTypesAsRawJson()
    {
        var path = await WriteFileAsync(
            """{"seq":1,"type":"run.start","ts":"2025-11-25T15:30:00+00:00","agent":"a","input":"hi"}""",
            """{"seq":2,"type":"plan.skeleton","ts":"2025-11-25T15:30:01+00:00","points":["intro","detail"]}""");

        var read = await TraceReader.ReadAsync(path).ToListAsync();

        Assert.IsType<RunStartStep>(read[0].Step);
        Assert.Null(read[1].Step);
        Assert.Equal("plan.skeleton", read[1].Type);
        Assert.Equal("detail", read[1].Json.GetProperty("points")[1].GetString());
    }

    [Theory]
    [InlineData("{\"seq\":2,\"type\":\"error\"", "not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"type\":\"error\",\"message\":\"x\"}", "\"seq\"")]
    [InlineData("{\"seq\":2,\"message\":\"x\"}", "\"type\"")]
    [InlineData("{\"seq\":2,\"type\":\"error\",\"ts\":\"2025-11-25T15:30:00Z\"}", "not a valid \"error\" event")]
    public async Task MalformedLineNamesFileAndLine(string badLine, string reason)
    {
        var path = await WriteFileAsync("""{"seq":1,"type":"error","ts":"2025-11-25T15:30:00Z","message":"ok"}""", "", badLine);

        var ex = await Assert.ThrowsAsync<TraceFormatException>(async () => await TraceReader.ReadAsync(path).ToListAsync());

        Assert.Equal(3, ex.LineNumber);
        Assert.StartsWith($"{path}:3: ", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void FromDescribesAnInMemoryStepLikeTheTrace()
    {
        var traced = TracedStep.From(4, new ToolCallStep("current_time", "c1", null));

        Assert.Equal("tool.call", traced.Type);
        Assert.Equal("c1", traced.Json.GetProperty("callId").GetString());
        Assert.Throws<ArgumentException>(() => TracedStep.From(5, new TextDeltaStep("x")));
    }

    private async Task<string> WriteFileAsync(params string[] lines)
    {
        var path = Path.Combine(_folder, "trace.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
