using System.Diagnostics;
using Agents.Memory;
using Microsoft.Extensions.AI;

namespace Agents.Tests.Memory;

public sealed class SqliteSessionStoreCrashTests : IDisposable
{
    private const int MessagesPerTurn = 5;
    private const int TurnsBeforeKill = 8;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_writer_killed_mid_stream_leaves_a_readable_store_of_whole_turns()
    {
        var path = _dir.File("sessions.db");
        var reported = await RunWriterAndKillAsync(path, "crash");

        Assert.Equal(["ok"], await SqliteFile.QueryAsync(path, "PRAGMA integrity_check"));
        Assert.Empty(await SqliteFile.QueryAsync(path, $"SELECT turn FROM messages GROUP BY turn HAVING COUNT(*) <> {MessagesPerTurn}"));

        await using var store = await SqliteSessionStore.OpenAsync(path);
        var history = await store.LoadAsync("crash");
        Assert.Equal(0, history.Count % MessagesPerTurn);
        var turns = history.Count / MessagesPerTurn;
        Assert.True(turns >= reported, $"{reported} turns were reported committed but only {turns} are stored.");

        for (var turn = 0; turn < turns; turn++)
        {
            var messages = history.Skip(turn * MessagesPerTurn).Take(MessagesPerTurn).ToList();
            Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Assistant], messages.Select(m => m.Role));
            Assert.StartsWith($"turn {turn} question ", messages[0].Text);
            Assert.Equal($"call-{turn}", Assert.IsType<FunctionCallContent>(Assert.Single(messages[1].Contents)).CallId);
            Assert.StartsWith($"turn {turn} result ", Assert.IsType<string>(Assert.IsType<FunctionResultContent>(Assert.Single(messages[2].Contents)).Result));
            Assert.StartsWith($"turn {turn} answer ", messages[4].Text);
        }

        // The store stays writable after the crash: the interrupted transaction was rolled back, not left half-applied.
        await store.AppendTurnAsync("crash", [new(ChatRole.User, "after the crash")]);
        Assert.Equal("after the crash", (await store.LoadAsync("crash"))[^1].Text);
    }

    // Starts tests/Agents.SessionWriter (copied next to this assembly by the project reference) and kills it, without
    // warning, once it has reported TurnsBeforeKill commits; it keeps writing the next turn meanwhile. Returns the turns reported.
    private static async Task<int> RunWriterAndKillAsync(string path, string sessionId)
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "Agents.SessionWriter.dll");
        Assert.True(File.Exists(writer), $"The session writer is missing at {writer}; build tests/Agents.Tests.");

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { writer, path, sessionId },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The session writer did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reported = 0;
        try
        {
            while (reported < TurnsBeforeKill)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                if (line is null)
                {
                    Assert.Fail($"The session writer exited early with code {process.ExitCode}: {await errors}");
                }

                Assert.Equal($"turn {reported}", line);
                reported++;
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Lines printed between the last read and the kill are commits too.
        while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
        {
            Assert.Equal($"turn {reported}", line);
            reported++;
        }

        return reported;
    }
}
