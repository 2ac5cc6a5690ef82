using System.Text.Json;

namespace Agents.Steps;

/// <summary>
/// The model asked for a tool. <see cref="Arguments"/> is the JSON object the model sent; null when
/// the model's arguments were not valid JSON (the tool result then says so).
/// </summary>
public sealed record ToolCallStep(string Tool, string CallId, JsonElement? Arguments) : AgentStep;
