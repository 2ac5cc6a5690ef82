namespace Agents.Tools.Web;

/// <summary>A fetch was refused or failed; the message is one sentence saying what and why, fit to show a user or a model.</summary>
public sealed class WebFetchException : Exception
{
    public WebFetchException(string message)
        : base(message)
    {
    }

    public WebFetchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
