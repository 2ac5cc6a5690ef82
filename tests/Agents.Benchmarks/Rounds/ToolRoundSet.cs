namespace Agents.Benchmarks.Rounds;

/// <summary>Every scenario of the tool round, built side by side and checked to give the same answer.</summary>
internal sealed class ToolRoundSet : IDisposable
{
    public RawHttpToolRound RawHttp { get; } = new();

    public SemanticKernelToolRound SemanticKernel { get; } = new();

    public ExtensionsAIToolRound ExtensionsAI { get; } = new();

    public AgentToolRound Agent { get; } = new();

    public AgentToolRound AgentWithJsonlTrace { get; } = new(jsonlTrace: true);

    public IReadOnlyList<ToolRound> All => [RawHttp, SemanticKernel, ExtensionsAI, Agent, AgentWithJsonlTrace];

    /// <summary>Plays one verified round of each; throws on the first scenario that does not take the whole path.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        foreach (var round in All)
        {
            await round.VerifyAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var round in All)
        {
            round.Dispose();
        }
    }
}
