namespace Agents.Playground;

/// <summary>Exit codes of every command (DESIGN.md, console contract).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run failed: model unreachable, a limit hit, a tool refused.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>The command line or a recipe is wrong; nothing ran.</summary>
    public const int Usage = 2;
}
