namespace Agents.Steps;

/// <summary>
/// A piece of answer text as the model streams it. Live views show it; the trace leaves it out
/// because the <see cref="AnswerStep"/> carries the whole text.
/// </summary>
public sealed record TextDeltaStep(string Text) : AgentStep;
