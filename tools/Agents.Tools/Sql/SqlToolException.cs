namespace Agents.Tools.Sql;

/// <summary>
/// A query the SQL tool refused or could not run; the message is one sentence the model (or the
/// person at the console) can act on: the refused statement, SQLite's own error, or the limit hit.
/// </summary>
public sealed class SqlToolException : Exception
{
    public SqlToolException(string message)
        : base(message)
    {
    }

    public SqlToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
