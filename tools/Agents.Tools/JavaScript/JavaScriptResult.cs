namespace Agents.Tools.JavaScript;

/// <summary>What one script produced.</summary>
/// <param name="Output">What the script wrote with <c>console.log</c> and its siblings, one line per call.</param>
/// <param name="Result">The value of the last expression (objects and arrays as JSON); null when it was <c>undefined</c>.</param>
/// <param name="Truncated">Whether output or result was cut at <see cref="JavaScriptToolOptions.MaxOutputLength"/>.</param>
public sealed record JavaScriptResult(string Output, string? Result, bool Truncated);
