using System.Text.RegularExpressions;

namespace Agents.Onnx.Downloads;

/// <summary>
/// Files of a Hugging Face model repository: a repository id such as <c>microsoft/Phi-3-mini-4k-instruct-onnx</c>, a
/// revision, and which files to take. Resolved to download URLs by <see cref="ModelDownloader.ResolveAsync"/>.
/// </summary>
public sealed partial class HuggingFaceSource
{
    /// <param name="repoId"><c>owner/name</c> (or a bare <c>name</c> for the hub's oldest models).</param>
    /// <param name="revision">A branch, tag or commit; <c>main</c> by default.</param>
    /// <param name="include">
    /// Patterns of the repository paths to take, as <c>huggingface-cli download --include</c> reads them: <c>*</c>
    /// matches any characters including <c>/</c>, <c>?</c> one character; a pattern without either names a file or a
    /// whole folder. None means every file.
    /// </param>
    public HuggingFaceSource(string repoId, string revision = "main", IEnumerable<string>? include = null)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        ArgumentException.ThrowIfNullOrWhiteSpace(revision);
        if (!IsRepoId(repoId))
        {
            throw new ArgumentException($"'{repoId}' is not a Hugging Face repository id; use owner/name, e.g. microsoft/Phi-3-mini-4k-instruct-onnx.", nameof(repoId));
        }

        if (revision.Any(char.IsWhiteSpace) || revision.Contains(".."))
        {
            throw new ArgumentException($"'{revision}' is not a revision; use a branch, tag or commit.", nameof(revision));
        }

        var patterns = (include ?? []).Select(p => p.Trim().TrimStart('/')).ToArray();
        if (patterns.Any(p => p.Length == 0))
        {
            throw new ArgumentException("An include pattern is empty; give a path or a pattern such as 'onnx/*'.", nameof(include));
        }

        RepoId = repoId;
        Revision = revision;
        Include = patterns;
    }

    public string RepoId { get; }

    public string Revision { get; }

    public IReadOnlyList<string> Include { get; }

    /// <summary>Whether <paramref name="text"/> has the shape of a repository id (and is therefore not a URL or a path).</summary>
    public static bool IsRepoId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RepoIdShape().IsMatch(text) && !text.Split('/').Any(part => part.Contains(".."));
    }

    /// <summary>Whether the repository path <paramref name="path"/> is one of the files to take.</summary>
    public bool Includes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Include.Count == 0 || Include.Any(pattern => Matches(pattern, path));
    }

    /// <summary>The folder the listing can start from: the literal folders every pattern begins with, or the root.</summary>
    internal string ListingFolder
    {
        get
        {
            if (Include.Count == 0)
            {
                return "";
            }

            var folders = Include.Select(p =>
            {
                var wildcard = p.IndexOfAny(['*', '?']);
                var literal = wildcard < 0 ? p : p[..wildcard];
                var slash = literal.LastIndexOf('/');
                return slash < 0 ? Array.Empty<string>() : literal[..slash].Split('/');
            }).ToArray();
            var common = folders[0].AsEnumerable();
            foreach (var other in folders.Skip(1))
            {
                common = common.Zip(other).TakeWhile(pair => pair.First == pair.Second).Select(pair => pair.First).ToArray();
            }

            return string.Join('/', common);
        }
    }

    public override string ToString() => $"{RepoId}@{Revision}";

    private static bool Matches(string pattern, string path)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            return path == pattern || path.StartsWith(pattern.TrimEnd('/') + "/", StringComparison.Ordinal);
        }

        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        // Patterns come from the command line: a non-backtracking engine keeps a pathological one linear.
        return Regex.IsMatch(path, regex, RegexOptions.NonBacktracking | RegexOptions.Singleline);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?$")]
    private static partial Regex RepoIdShape();
}
