namespace Agents.Testing.Models;

/// <summary>A file in a <see cref="FakeModelHub"/> repository; LFS files are listed with their SHA-256, as the real hub does.</summary>
public sealed record HubRepoFile(string Path, byte[] Content, bool Lfs = true);
