using System.Text;
using System.Text.Json;
using Agents.Steps;
using Agents.Tracing;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Tests.Tracing;

public sealed class JsonlTraceWriterTests : IDisposable
{
    private static readonly DateTimeOffset s_at = new(2025, 11, 25, 15, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("agents-trace-").FullName;

    public static TheoryData<AgentStep, string, string[]> StepsAndContractFields => new()
    {
        { new RunStartStep("helper", "What time is it?"), "run.start", ["agent", "input"] },
        { new ModelCallStep("gpt-test", 120, 30, TimeSpan.FromMilliseconds(350.25)), "model.call", ["model", "inputTokens", "outputTokens", "ms"] },
        { new ToolCallStep("current_time", "call_1", JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"zone":"UTC"}""")), "tool.call", ["tool", "callId", "arguments"] },
        { new ToolResultStep("current_time", "call_1", true, "2025-11-25T15:30:00Z", TimeSpan.FromMilliseconds(2)), "tool.result", ["tool", "callId", "ok", "result", "ms"] },
        { new AnswerStep("It is 15:30.", [new Citation("c1", "clock", "line 1")]), "answer", ["text", "citations"] },
        { new ErrorStep("The model did not answer within 120 s; raise limits.timeoutSeconds."), "error", ["message"] },
        { new RunEndStep(TimeSpan.FromMilliseconds(1234.5), new TokenUsage(130, 35)), "run.end", ["ms", "usage"] },
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(StepsAndContractFields))]
    public async Task EachStepIsOneLineWithExactlyTheContractFields(AgentStep step, string type, string[] fields)
    {
        var line = Assert.Single(await WriteLinesAsync(step with { Timestamp = s_at }));

        using var json = JsonDocument.Parse(line);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["seq", "type", "ts", .. fields], names);
        Assert.Equal(1, json.RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(s_at, DateTimeOffset.Parse(json.RootElement.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task UsageAndDurationsUseTheContractShape()
    {
        var lines = await WriteLinesAsync(
            new ModelCallStep("m", 1, 2, TimeSpan.FromMilliseconds(350.26)),
            new RunEndStep(TimeSpan.FromMilliseconds(1234.5), new TokenUsage(130, 35)));

        Assert.Contains("\"ms\":350.3", lines[0]);
        using var end = JsonDocument.Parse(lines[1]);
        var usage = end.RootElement.GetProperty("usage");
        Assert.Equal(["inputTokens", "outputTokens"], usage.EnumerateObject().Select(p => p.Name));
        Assert.Equal(130, usage.GetProperty("inputTokens").GetInt64());
        Assert.Equal(1234.5, end.RootElement.GetProperty("ms").GetDouble());
    }

    [Fact]
    public async Task NumbersLinesFromOneAndSkipsTextDeltas()
    {
        var lines = await WriteLinesAsync(
            new RunStartStep("a", "hi"),
            new TextDeltaStep("Hel"),
            new TextDeltaStep("lo"),
            new AnswerStep("Hello", []),
            new RunEndStep(TimeSpan.FromMilliseconds(5), TokenUsage.Zero));

        Assert.Equal([1L, 2L, 3L], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64()));
        Assert.DoesNotContain(lines, l => l.Contains("Hel\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StampsStepsWithoutATimestampFromTheTimeProvider()
    {
        var time = new FakeTimeProvider(s_at);
        using var stream = new MemoryStream();
        await using (var writer = new JsonlTraceWriter(stream, time))
        {
            await writer.WriteAsync(new ErrorStep("boom"));
        }

        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(s_at, json.RootElement.GetProperty("ts").GetDateTimeOffset());
    }

    [Fact]
    public async Task EachLineIsOnDiskBeforeTheWriterIsDisposed()
    {
        var path = Path.Combine(_folder, "nested", "live.jsonl");
        await using var writer = JsonlTraceWriter.Create(path);
        await writer.WriteAsync(new RunStartStep("a", "one"));
        await writer.WriteAsync(new ErrorStep("two"));

        var read = await TraceReader.ReadAsync(path).ToListAsync();

        Assert.Equal(["run.start", "error"], read.Select(s => s.Type));
        Assert.Equal(2, writer.Count);
    }

    [Fact]
    public async Task KeepsTextReadable()
    {
        var line = Assert.Single(await WriteLinesAsync(new AnswerStep("It's <5> °C", [])));

        Assert.Contains("\"text\":\"It's <5> °C\"", line);
    }

    private static async Task<string[]> WriteLinesAsync(params AgentStep[] steps)
    {
        using var stream = new MemoryStream();
        await using (var writer = new JsonlTraceWriter(stream))
        {
            foreach (var step in steps)
            {
                await writer.WriteAsync(step);
            }
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.EndsWith("\n", text);
        return text.TrimEnd('\n').Split('\n');
    }
}
