using System.Diagnostics;
using Agents.Memory;
using Agents.Testing;
using Microsoft.Extensions.AI;

namespace Agents.Tests.Memory;

public sealed class SqliteSessionStoreCrashTests : IDisposable
{
    private const int MessagesPerTurn = 5;
    private const int TurnsPerRound = 8;

    // Each round kills the writer at a new, random point of a transaction; several rounds make a torn turn very likely to show.
    private const int Rounds = 3;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_writer_killed_mid_stream_leaves_a_readable_store_of_whole_turns()
    {
        var path = _dir.PathOf("sessions.db");
        for (var round = 0; round < Rounds; round++)
        {
            var lastReported = await RunWriterAndKillAsync(path, "crash");

            Assert.Equal(["ok"], await SqliteFile.QueryAsync(path, "PRAGMA integrity_check"));
            Assert.Empty(await SqliteFile.QueryAsync(path, $"SELECT turn FROM messages GROUP BY turn HAVING COUNT(*) <> {MessagesPerTurn}"));
            await AssertWholeTurnsAsync(path, atLeast: lastReported + 1);
        }

        // The store stays writable after the crash: the interrupted transaction was rolled back, not left half-applied.
        await using var store = await SqliteSessionStore.OpenAsync(path);
        await store.AppendTurnAsync("crash", [new(ChatRole.User, "after the crash")]);
        Assert.Equal("after the crash", (await store.LoadAsync("crash"))[^1].Text);
    }

    private static async Task AssertWholeTurnsAsync(string path, int atLeast)
    {
        await using var store = await SqliteSessionStore.OpenAsync(path);
        var history = await store.LoadAsync("crash");
        Assert.Equal(0, history.Count % MessagesPerTurn);
        var turns = history.Count / MessagesPerTurn;
        Assert.True(turns >= atLeast, $"{atLeast} turns were reported committed but only {turns} are stored.");

        for (var turn = 0; turn < turns; turn++)
        {
            var messages = history.Skip(turn * MessagesPerTurn).Take(MessagesPerTurn).ToList();
            Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.Assistant], messages.Select(m => m.Role));
            Assert.StartsWith($"turn {turn} question ", messages[0].Text);
            Assert.Equal($"call-{turn}", Assert.IsType<FunctionCallContent>(Assert.Single(messages[1].Contents)).CallId);
            Assert.StartsWith($"turn {turn} result ", Assert.IsType<string>(Assert.IsType<FunctionResultContent>(Assert.Single(messages[2].Contents)).Result));
            Assert.StartsWith($"turn {turn} answer ", messages[4].Text);
        }
    }

    // Starts tests/Agents.SessionWriter (copied next to this assembly by the project reference) and kills it, without
    // warning, once it has reported TurnsPerRound commits; it keeps writing the next turn meanwhile.
    // Returns the number of the last turn it reported committed.
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
        var lastReported = -1;
        try
        {
            for (var reported = 0; reported < TurnsPerRound; reported++)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                if (line is null)
                {
                    Assert.Fail($"The session writer exited early with code {process.ExitCode}: {await errors}");
                }

                lastReported = Reported(line, lastReported);
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
            lastReported = Reported(line, lastReported);
        }

        return lastReported;
    }

    private static int Reported(string line, int previous)
    {
        Assert.StartsWith("turn ", line);
        var turn = int.Parse(line["turn ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(previous < 0 || turn == previous + 1, $"The writer reported turn {turn} after turn {previous}.");
        return turn;
    }
}
