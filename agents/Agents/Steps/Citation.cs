namespace Agents.Steps;

/// <summary>A source an answer relies on: an identifier, where it came from, and where in it.</summary>
public sealed record Citation(string Id, string Source, string? Position = null);
