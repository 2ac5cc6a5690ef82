using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>Durable conversation history, one ordered list of messages per session id.</summary>
public interface ISessionStore
{
    /// <summary>Reads a session's history, oldest first; empty for an unknown id.</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Appends one turn's messages atomically: after a crash either all of them are stored or none.</summary>
    Task AppendTurnAsync(string sessionId, IReadOnlyList<ChatMessage> turn, CancellationToken cancellationToken = default);

    /// <summary>Forgets a session's history.</summary>
    Task ClearAsync(string sessionId, CancellationToken cancellationToken = default);
}
