namespace Agents.Onnx.Downloads;

/// <summary>Turns a path a source gave into a file under the destination, refusing any that could land elsewhere.</summary>
internal static class SafeRelativePath
{
    /// <summary>
    /// The full path of <paramref name="relativePath"/> under <paramref name="root"/> (a full path), or null when the path
    /// is rooted, climbs out with <c>..</c>, uses <c>\</c> or <c>:</c> (a drive or stream on Windows), or is empty.
    /// </summary>
    public static string? Resolve(string root, string relativePath)
    {
        if (relativePath.Length == 0
            || relativePath.IndexOfAny(['\\', ':', '\0']) >= 0
            || relativePath.StartsWith('/')
            || Path.IsPathRooted(relativePath)
            || relativePath.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return null;
        }

        // Belt and braces: whatever the checks above missed, the resolved path must still be inside the root.
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full : null;
    }
}
