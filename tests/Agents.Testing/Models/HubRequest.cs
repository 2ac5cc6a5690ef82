namespace Agents.Testing.Models;

/// <summary>A request <see cref="FakeModelHub"/> received, with the headers that downloads depend on.</summary>
public sealed record HubRequest(string Path, string? Range, string? IfRange, string? Authorization);
