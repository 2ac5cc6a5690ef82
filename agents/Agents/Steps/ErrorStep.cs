namespace Agents.Steps;

/// <summary>The run failed or hit a limit; <see cref="Message"/> is one sentence saying what and what to do.</summary>
public sealed record ErrorStep(string Message) : AgentStep;
