using System.Text.Json;
using Agents.Steps;
using Agents.Testing;
using Agents.Tracing;

namespace Agents.Playground.Tests.Commands;

public sealed class TraceCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RendersARecordedRunAsATree()
    {
        var path = _folder.PathOf("run.jsonl");
        await using (var writer = JsonlTraceWriter.Create(path))
        {
            await writer.WriteAsync(new RunStartStep("clock", "What time is it?"));
            await writer.WriteAsync(new ModelCallStep("test-model", 120, 30, TimeSpan.FromMilliseconds(350)));
            await writer.WriteAsync(new ToolCallStep("current_time", "call_1", JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"timeZone":"Europe/Paris"}""")));
            await writer.WriteAsync(new ToolResultStep("current_time", "call_1", true, "2025-11-25T16:30:00+01:00 (Tuesday)", TimeSpan.FromMilliseconds(2)));
            await writer.WriteAsync(new AnswerStep("It is half past four.", [new Citation("c1", "clock")]));
            await writer.WriteAsync(new RunEndStep(TimeSpan.FromMilliseconds(1500), new TokenUsage(150, 40)));
        }

        File.AppendAllText(path, """{"seq":7,"ts":"2025-11-25T15:30:00Z","type":"plan.skeleton","points":["intro","detail"]}""" + "\n");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "trace", path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("run clock What time is it?", result.Stdout);
        Assert.Contains("1.5 s · 150 in / 40 out tokens", result.Stdout);
        Assert.Contains("model test-model · 120 in / 30 out tokens · 350 ms", result.Stdout);
        Assert.Contains("tool current_time {\"timeZone\":\"Europe/Paris\"}", result.Stdout);
        Assert.Contains("ok · 2 ms 2025-11-25T16:30:00+01:00 (Tuesday)", result.Stdout);
        Assert.Contains("answer It is half past four.", result.Stdout);
        Assert.Contains("[c1] clock", result.Stdout);
        Assert.Contains("plan.skeleton {\"points\":[\"intro\",\"detail\"]}", result.Stdout);

        // The tool call hangs under the model call that asked for it, its result under the call.
        var lines = result.Stdout.Split('\n');
        var model = Array.FindIndex(lines, l => l.Contains("model test-model"));
        var tool = Array.FindIndex(lines, l => l.Contains("tool current_time"));
        var ok = Array.FindIndex(lines, l => l.Contains("ok · 2 ms"));
        Assert.True(Indent(lines[model]) < Indent(lines[tool]) && Indent(lines[tool]) < Indent(lines[ok]), result.Stdout);
    }

    [Fact]
    public async Task MalformedTraceExitsTwoNamingTheLine()
    {
        var path = _folder.Write("bad.jsonl", """{"seq":1,"ts":"2025-11-25T15:30:00Z","type":"error","message":"x"}""" + "\n{not json\n");

        var result = await AgentsProcess.RunAsync(_folder.Path, null, "trace", path);

        result.AssertOneSentenceFailure(2);
        Assert.StartsWith($"{path}:2: not valid JSON", result.Stderr);
    }

    private static int Indent(string line) => line.TakeWhile(c => !char.IsLetterOrDigit(c)).Count();
}
