using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Memory;

/// <summary>Settings of a <see cref="SqliteSessionStore"/>; the defaults suit an agent process.</summary>
public sealed class SqliteSessionStoreOptions
{
    /// <summary>Clock that stamps each stored message.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long a write waits for another connection (this process or another) to release the file; must be positive.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Serializer settings for messages. The default, <see cref="AIJsonUtilities.DefaultOptions"/>, knows every
    /// built-in <see cref="AIContent"/> type; supply options with your own types added to store custom content.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = AIJsonUtilities.DefaultOptions;
}
