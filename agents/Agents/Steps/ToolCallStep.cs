using System.Text.Json.Nodes;

namespace Agents.Steps;

/// <summary>
/// The model asked for a tool. <see cref="Arguments"/> is the JSON object the model sent, or a JSON
/// string holding the raw text when the model's arguments were not valid JSON.
/// </summary>
public sealed record ToolCallStep(string Tool, string CallId, JsonNode? Arguments) : AgentStep;
