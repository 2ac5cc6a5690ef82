// Appends turns of five messages to a session store, forever, printing "turn N" after each commit.
// Numbering continues from the turns already stored, so the test can kill and restart it on one file.
// Usage: Agents.SessionWriter DB_PATH SESSION_ID
using Agents.Memory;
using Microsoft.Extensions.AI;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Agents.SessionWriter DB_PATH SESSION_ID");
    return 2;
}

var sessionId = args[1];

// Large rows make each commit span many pages, so a kill is likely to land inside a transaction.
var filler = new string('x', 64 * 1024);
await using var store = await SqliteSessionStore.OpenAsync(args[0]);
for (var turn = (await store.LoadAsync(sessionId)).Count / 5; ; turn++)
{
    var callId = $"call-{turn}";
    ChatMessage[] messages =
    [
        new(ChatRole.User, $"turn {turn} question {filler}"),
        new(ChatRole.Assistant, [new FunctionCallContent(callId, "lookup", new Dictionary<string, object?> { ["turn"] = turn })]),
        new(ChatRole.Tool, [new FunctionResultContent(callId, $"turn {turn} result {filler}")]),
        new(ChatRole.Assistant, $"turn {turn} thinking {filler}"),
        new(ChatRole.Assistant, $"turn {turn} answer {filler}"),
    ];
    await store.AppendTurnAsync(sessionId, messages);
    Console.WriteLine($"turn {turn}");
}
