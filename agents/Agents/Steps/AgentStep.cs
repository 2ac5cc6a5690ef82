using System.Text.Json.Serialization;

namespace Agents.Steps;

/// <summary>
/// One transition of an agent run. The same records stream to callers, feed the JSONL trace
/// (the <c>type</c> discriminators below are the trace contract) and are read back for replay.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RunStartStep), "run.start")]
[JsonDerivedType(typeof(ModelCallStep), "model.call")]
[JsonDerivedType(typeof(ToolCallStep), "tool.call")]
[JsonDerivedType(typeof(ToolResultStep), "tool.result")]
[JsonDerivedType(typeof(RetrievalStep), "retrieval")]
[JsonDerivedType(typeof(AnswerStep), "answer")]
[JsonDerivedType(typeof(ErrorStep), "error")]
[JsonDerivedType(typeof(RunEndStep), "run.end")]
public abstract record AgentStep
{
    /// <summary>When the step happened.</summary>
    [JsonPropertyName("ts")]
    [JsonPropertyOrder(-1)]
    public DateTimeOffset Timestamp { get; init; }
}
