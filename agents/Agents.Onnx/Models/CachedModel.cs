namespace Agents.Onnx.Models;

/// <summary>A folder found in the model cache.</summary>
/// <param name="Path">The folder's full path.</param>
/// <param name="Name">The folder relative to the cache, with <c>/</c> between folders (e.g. <c>microsoft/Phi-3-mini-4k-instruct-onnx/cpu-int4</c>).</param>
/// <param name="Kind">What the folder holds; null for a folder with only incomplete downloads.</param>
/// <param name="ModelType">The architecture its configuration names, when readable.</param>
/// <param name="PartialFiles">Downloads in the folder that have not finished; pulling again resumes them.</param>
/// <param name="Problem">Why the folder cannot be used as it is, in one sentence; null when it can.</param>
public sealed record CachedModel(string Path, string Name, ModelFolderKind? Kind, string? ModelType, long SizeBytes, int PartialFiles, string? Problem);
