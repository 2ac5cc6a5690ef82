using Agents.Testing;

namespace Agents.Playground.Tests.Commands;

/// <summary>A store of <see cref="SampleDocuments"/> ingested once with the default offline model, for tests that only read it.</summary>
public sealed class SampleStoreFixture : IAsyncLifetime
{
    public const string Store = "docs.db";

    public TempFolder Folder { get; } = new();

    public Task InitializeAsync() => SampleDocuments.IngestAsync(Folder.Path, Store);

    public Task DisposeAsync()
    {
        Folder.Dispose();
        return Task.CompletedTask;
    }
}
