using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Agents.Tests;

/// <summary>An ordinary Semantic Kernel plugin, written the way users write theirs, used as agent tools.</summary>
public sealed class TestPlugin
{
    private int _arrivals;
    private readonly TaskCompletionSource _bothArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [KernelFunction("add"), Description("Adds two integers.")]
    public int Add([Description("first")] int a, [Description("second")] int b) => a + b;

    [KernelFunction("explode"), Description("Always fails.")]
    public string Explode() => throw new InvalidOperationException("the widget is on fire");

    [KernelFunction("echo"), Description("Returns the text unchanged.")]
    public string Echo(string text) => text;

    /// <summary>Succeeds only when two calls are in flight at once: proof that calls run in parallel.</summary>
    [KernelFunction("rendezvous"), Description("Waits for a second caller.")]
    public async Task<string> RendezvousAsync(string name, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrivals) == 2)
        {
            _bothArrived.TrySetResult();
        }

        await _bothArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return $"met {name}";
    }

    public static KernelPlugin Create() => KernelPluginFactory.CreateFromObject(new TestPlugin(), "test");
}
