namespace Agents.Tools.JavaScript;

/// <summary>
/// A script failed or was stopped at a sandbox limit; the message is one sentence the model (or the
/// console user) can act on, e.g. "The script ran longer than 2 s and was stopped."
/// </summary>
public sealed class JavaScriptToolException(string message, Exception? innerException = null) : Exception(message, innerException);
