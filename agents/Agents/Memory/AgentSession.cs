using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>
/// A conversation that spans runs. In memory by default; bound to an <see cref="ISessionStore"/>
/// each finished turn is persisted before the next one starts.
/// </summary>
public sealed class AgentSession
{
    private readonly List<ChatMessage> _history;
    private readonly ISessionStore? _store;

    private AgentSession(string id, List<ChatMessage> history, ISessionStore? store)
    {
        Id = id;
        _history = history;
        _store = store;
    }

    public string Id { get; }

    /// <summary>Messages of the finished turns, oldest first (no system prompt: the agent adds its own).</summary>
    public IReadOnlyList<ChatMessage> History => _history;

    public static AgentSession InMemory(string? id = null) => new(id ?? Guid.NewGuid().ToString("n"), [], null);

    public static async Task<AgentSession> OpenAsync(ISessionStore store, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var history = await store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        return new AgentSession(id, [.. history], store);
    }

    /// <summary>Records a finished turn: stored first, so memory never runs ahead of disk.</summary>
    public async Task AppendTurnAsync(IReadOnlyList<ChatMessage> turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (_store is not null)
        {
            await _store.AppendTurnAsync(Id, turn, cancellationToken).ConfigureAwait(false);
        }

        _history.AddRange(turn);
    }

    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        if (_store is not null)
        {
            await _store.ClearAsync(Id, cancellationToken).ConfigureAwait(false);
        }

        _history.Clear();
    }
}
