namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Which of readability's cleaning rules one attempt applies. A page whose content they strip too far
/// is tried again with fewer of them, as readability.js does.
/// </summary>
[Flags]
internal enum ExtractionPasses
{
    None = 0,

    /// <summary>Drop elements whose class or id names furniture (menus, sidebars, bylines).</summary>
    StripUnlikely = 1,

    /// <summary>Let class and id words raise or lower a container's score.</summary>
    WeighClasses = 2,

    /// <summary>Inside the chosen content, drop blocks that look like link lists, image galleries or forms.</summary>
    CleanConditionally = 4,

    All = StripUnlikely | WeighClasses | CleanConditionally,
}
