namespace Agents.Tools.JavaScript;

/// <summary>
/// The sandbox limits of <see cref="JavaScriptTool"/>. Every limit is finite by default, so a hostile
/// or runaway script is stopped and reported instead of taking the host down with it.
/// </summary>
public sealed class JavaScriptToolOptions
{
    /// <summary>Wall-clock time one call may take, the script and the rendering of its result together.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Statements one call may execute; a second bound on runaway loops that does not depend on the clock.</summary>
    public int MaxStatements { get; set; } = 100_000_000;

    /// <summary>Bytes the script may allocate (Jint counts managed allocation, so garbage counts too).</summary>
    public long MemoryLimit { get; set; } = 64L * 1024 * 1024;

    /// <summary>How deep JavaScript calls may nest.</summary>
    public int MaxRecursionDepth { get; set; } = 256;

    /// <summary>How long one regular-expression match may run; catastrophic backtracking stops here.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Elements one array may hold.</summary>
    public uint MaxArraySize { get; set; } = 1_000_000;

    /// <summary>Characters of source code accepted.</summary>
    public int MaxSourceLength { get; set; } = 100_000;

    /// <summary>Characters of console output and result returned; the rest is cut off with a marker.</summary>
    public int MaxOutputLength { get; set; } = 20_000;
}
