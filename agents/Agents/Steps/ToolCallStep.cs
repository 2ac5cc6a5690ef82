namespace Agents.Steps;

/// <summary>
/// The model asked for a tool. <see cref="Arguments"/> are the arguments the model sent, by name, as
/// JSON values; null when the model's arguments were not valid JSON (the tool result then says so).
/// </summary>
public sealed record ToolCallStep(string Tool, string CallId, IReadOnlyDictionary<string, object?>? Arguments) : AgentStep;
