using System.Text.Json;
using Agents.Memory;
using Agents.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Agents.Tests.Memory;

public sealed class SqliteSessionStoreTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Messages_with_text_calls_and_results_round_trip_through_a_reopened_file()
    {
        var path = _dir.PathOf("sessions.db");
        var arguments = new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3, ["units"] = new[] { "metric" } };
        ChatMessage[] turn =
        [
            new(ChatRole.User, "What's the weather in Paris?") { AuthorName = "ana" },
            new(ChatRole.Assistant, [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", arguments)]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "18 °C and sunny")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", new Dictionary<string, object?> { ["ok"] = true, ["rows"] = 2 })]),
            new(ChatRole.Assistant, "It is 18 °C and sunny."),
        ];

        await using (var store = await SqliteSessionStore.OpenAsync(path))
        {
            await store.AppendTurnAsync("s1", turn);
        }

        await using var reopened = await SqliteSessionStore.OpenAsync(path);
        var loaded = await reopened.LoadAsync("s1");

        Assert.Equal(turn.Select(m => m.Role), loaded.Select(m => m.Role));
        Assert.Equal(turn.Select(m => m.Text), loaded.Select(m => m.Text));
        Assert.Equal("ana", loaded[0].AuthorName);

        var call = Assert.IsType<FunctionCallContent>(loaded[1].Contents[1]);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(
            JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions),
            JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions));

        var textResult = Assert.IsType<FunctionResultContent>(Assert.Single(loaded[2].Contents));
        Assert.Equal("call_1", textResult.CallId);
        Assert.Equal("18 °C and sunny", Assert.IsType<string>(textResult.Result));

        var objectResult = Assert.IsType<FunctionResultContent>(Assert.Single(loaded[3].Contents));
        Assert.Equal("""{"ok":true,"rows":2}""", Assert.IsType<JsonElement>(objectResult.Result).GetRawText());
    }

    [Fact]
    public async Task Turns_append_in_order_and_sessions_stay_apart()
    {
        await using var store = await SqliteSessionStore.OpenAsync(_dir.PathOf("sessions.db"));
        await store.AppendTurnAsync("a", [new(ChatRole.User, "a1"), new(ChatRole.Assistant, "a2")]);
        await store.AppendTurnAsync("b", [new(ChatRole.User, "b1")]);
        await store.AppendTurnAsync("a", [new(ChatRole.User, "a3"), new(ChatRole.Assistant, "a4")]);

        Assert.Equal(["a1", "a2", "a3", "a4"], (await store.LoadAsync("a")).Select(m => m.Text));
        Assert.Equal(["b1"], (await store.LoadAsync("b")).Select(m => m.Text));
        Assert.Empty(await store.LoadAsync("unknown"));
    }

    [Fact]
    public async Task Rows_record_turn_number_role_and_the_injected_clock()
    {
        var path = _dir.PathOf("sessions.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using (var store = await SqliteSessionStore.OpenAsync(path, new SqliteSessionStoreOptions { TimeProvider = clock }))
        {
            await store.AppendTurnAsync("s", [new(ChatRole.User, "q1"), new(ChatRole.Assistant, "r1")]);
            clock.Advance(TimeSpan.FromMinutes(5));
            await store.AppendTurnAsync("s", [new(ChatRole.User, "q2")]);
        }

        var rows = await SqliteFile.QueryAsync(path, "SELECT ordinal, turn, role, created_at FROM messages WHERE session_id = 's' ORDER BY ordinal");
        Assert.Equal(
            [
                "0|0|user|2025-03-01T12:00:00.0000000+00:00",
                "1|0|assistant|2025-03-01T12:00:00.0000000+00:00",
                "2|1|user|2025-03-01T12:05:00.0000000+00:00",
            ],
            rows);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_and_stamped_with_the_schema_version()
    {
        var path = _dir.PathOf("sessions.db");
        await using (await SqliteSessionStore.OpenAsync(path))
        {
        }

        Assert.Equal(["wal"], await SqliteFile.QueryAsync(path, "PRAGMA journal_mode"));
        Assert.Equal([SqliteSessionStore.SchemaVersion.ToString()], await SqliteFile.QueryAsync(path, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Clear_forgets_one_session_only()
    {
        await using var store = await SqliteSessionStore.OpenAsync(_dir.PathOf("sessions.db"));
        await store.AppendTurnAsync("a", [new(ChatRole.User, "a1")]);
        await store.AppendTurnAsync("b", [new(ChatRole.User, "b1")]);

        await store.ClearAsync("a");

        Assert.Empty(await store.LoadAsync("a"));
        Assert.Single(await store.LoadAsync("b"));
        await store.AppendTurnAsync("a", [new(ChatRole.User, "again")]);
        Assert.Equal(["again"], (await store.LoadAsync("a")).Select(m => m.Text));
    }

    [Fact]
    public async Task A_turn_that_cannot_be_serialized_stores_nothing()
    {
        await using var store = await SqliteSessionStore.OpenAsync(_dir.PathOf("sessions.db"));
        ChatMessage[] turn = [new(ChatRole.User, "fine"), new(ChatRole.Assistant, [new UnregisteredContent()])];

        await Assert.ThrowsAnyAsync<NotSupportedException>(() => store.AppendTurnAsync("s", turn));

        Assert.Empty(await store.LoadAsync("s"));
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_with_a_clear_message()
    {
        var path = _dir.PathOf("notes.db");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("these are plain text notes, not a database. ", 200)));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SqliteSessionStore.OpenAsync(path));

        Assert.Equal($"'{path}' is not a SQLite database; point the session store at a new file or an existing session store.", error.Message);
    }

    [Fact]
    public async Task A_file_from_a_newer_schema_is_refused_with_a_clear_message()
    {
        var path = _dir.PathOf("future.db");
        await SqliteFile.QueryAsync(path, "PRAGMA user_version = 7");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SqliteSessionStore.OpenAsync(path));

        Assert.Contains("schema version 7", error.Message);
        Assert.Contains("upgrade Agents", error.Message);
    }

    [Fact]
    public async Task Parallel_sessions_on_shared_and_separate_store_instances_keep_every_turn_whole_and_in_order()
    {
        var path = _dir.PathOf("sessions.db");
        await using var first = await SqliteSessionStore.OpenAsync(path);
        await using var second = await SqliteSessionStore.OpenAsync(path);
        const int Sessions = 8, Turns = 15;

        await Task.WhenAll(Enumerable.Range(0, Sessions).Select(s => Task.Run(async () =>
        {
            var store = s % 2 == 0 ? first : second;
            for (var t = 0; t < Turns; t++)
            {
                await store.AppendTurnAsync($"s{s}", [new(ChatRole.User, $"s{s} t{t} q"), new(ChatRole.Assistant, $"s{s} t{t} a")]);
            }
        })));

        for (var s = 0; s < Sessions; s++)
        {
            var expected = Enumerable.Range(0, Turns).SelectMany(t => new[] { $"s{s} t{t} q", $"s{s} t{t} a" });
            Assert.Equal(expected, (await first.LoadAsync($"s{s}")).Select(m => m.Text));
        }
    }

    [Fact]
    public async Task An_agent_session_bound_to_the_store_resumes_its_history()
    {
        var path = _dir.PathOf("sessions.db");
        await using (var store = await SqliteSessionStore.OpenAsync(path))
        {
            var session = await AgentSession.OpenAsync(store, "chat");
            await session.AppendTurnAsync([new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello")]);
        }

        await using var reopened = await SqliteSessionStore.OpenAsync(path);
        var resumed = await AgentSession.OpenAsync(reopened, "chat");
        Assert.Equal(["hi", "hello"], resumed.History.Select(m => m.Text));

        await resumed.ResetAsync();
        Assert.Empty(await reopened.LoadAsync("chat"));
    }

    [Fact]
    public async Task A_disposed_store_refuses_further_calls()
    {
        var store = await SqliteSessionStore.OpenAsync(_dir.PathOf("sessions.db"));
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.LoadAsync("s"));
    }

    private sealed class UnregisteredContent : AIContent;
}
