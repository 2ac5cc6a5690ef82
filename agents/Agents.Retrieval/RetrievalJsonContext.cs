using System.Text.Json.Serialization;

namespace Agents.Retrieval;

/// <summary>Source-generated JSON metadata for what retrieval stores as JSON.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RetrievalJsonContext : JsonSerializerContext;
