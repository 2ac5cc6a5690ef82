namespace Agents.Steps;

/// <summary>A run began: which agent, on what input.</summary>
public sealed record RunStartStep(string Agent, string Input) : AgentStep;
