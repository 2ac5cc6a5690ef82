namespace Agents.Playground;

/// <summary>The user asked for something that cannot run as given; the message says what to change (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
