using Microsoft.Extensions.AI;

namespace Agents.Onnx.Tests.Chat;

/// <summary>A streamed reply gathered: its text pieces, the whole response and the token ids the client reported.</summary>
internal sealed record ChatReplies(IReadOnlyList<string> Pieces, ChatResponse Response, int[] TokenIds)
{
    public static async Task<ChatReplies> CollectAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        var pieces = updates.SelectMany(u => u.Contents.OfType<TextContent>()).Select(t => t.Text).ToList();
        var ids = updates.Select(u => u.RawRepresentation).OfType<int[]>().Single();
        return new ChatReplies(pieces, updates.ToChatResponse(), ids);
    }
}
