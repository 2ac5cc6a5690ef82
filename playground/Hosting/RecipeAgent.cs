namespace Agents.Playground.Hosting;

/// <summary>A recipe's agent with what its tools opened (document stores, embedding clients), closed on disposal.</summary>
internal sealed class RecipeAgent(Agent agent, IReadOnlyList<IDisposable> resources) : IDisposable
{
    public Agent Agent { get; } = agent;

    public void Dispose()
    {
        foreach (var resource in resources)
        {
            resource.Dispose();
        }
    }
}
