using Agents.Onnx.Downloads;

namespace Agents.Onnx.Models;

/// <summary>
/// The folder models are pulled into when no destination is given: <c>AGENTS_MODELS</c> when set, else
/// <c>~/.cache/agents/models</c>. Each model is a folder somewhere below it, e.g. <c>owner/name</c> for a hub repository.
/// </summary>
public static class ModelCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string EnvironmentVariable = "AGENTS_MODELS";

    // Deep enough for owner/name/variant/subfolder layouts; bounded so a cache pointed at "/" still ends quickly.
    private const int MaxDepth = 8;

    private static readonly EnumerationOptions Folders = new() { AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, IgnoreInaccessible = true };

    /// <summary>The cache folder: <c>AGENTS_MODELS</c>, or <c>.cache/agents/models</c> in the user's home folder.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "agents", "models");

    /// <summary>The model folders below <paramref name="folder"/>, and folders holding only unfinished downloads, by name; none when the folder does not exist.</summary>
    public static IReadOnlyList<CachedModel> List(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        var found = new List<CachedModel>();
        if (!Directory.Exists(root))
        {
            return found;
        }

        var pending = new Stack<(string Path, int Depth)>([(root, 0)]);
        while (pending.TryPop(out var current))
        {
            var name = Path.GetRelativePath(root, current.Path).Replace(Path.DirectorySeparatorChar, '/');
            if (ModelFolderInfo.Detect(current.Path) is { } kind)
            {
                found.Add(Describe(current.Path, name, kind));
                continue;
            }

            var partials = Directory.EnumerateFiles(current.Path, "*" + ModelDownloader.PartialSuffix, Folders).Count();
            if (partials > 0)
            {
                found.Add(new CachedModel(current.Path, name, null, null, ModelFolderInfo.FolderBytes(current.Path), partials,
                    "it holds only unfinished downloads; pull again to resume them."));
            }

            if (current.Depth < MaxDepth)
            {
                foreach (var child in Directory.EnumerateDirectories(current.Path, "*", Folders))
                {
                    pending.Push((child, current.Depth + 1));
                }
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return found;
    }

    private static CachedModel Describe(string path, string name, ModelFolderKind kind)
    {
        var partials = Directory.EnumerateFiles(path, "*" + ModelDownloader.PartialSuffix, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Count();
        try
        {
            var info = ModelFolderInfo.Read(path);
            return new CachedModel(path, name, kind, info.ModelType, info.SizeBytes, partials, null);
        }
        catch (ModelFolderException ex)
        {
            // A broken folder is still listed, with what is wrong, so the user can repair or delete it.
            return new CachedModel(path, name, kind, null, ModelFolderInfo.FolderBytes(path), partials, ex.Message);
        }
    }
}
