namespace Agents.Steps;

/// <summary>The agent's final answer and the sources it cites.</summary>
public sealed record AnswerStep(string Text, IReadOnlyList<Citation> Citations) : AgentStep;
