using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Sql;

/// <summary>
/// The <c>sql_query</c> and <c>sql_schema</c> tools: read-only SQL over one SQLite database,
/// safe to hand to a model that may be hostile. Read-only is enforced by SQLite itself, not by the
/// prompt: see <see cref="ReadOnlyConnection"/>. Use it as a Semantic Kernel plugin
/// (<c>kernel.Plugins.AddFromObject(tool)</c>) or through <see cref="CreateFunctions"/>.
/// </summary>
public sealed class SqlQueryTool
{
    private readonly SqlToolOptions _options;
    private readonly TimeProvider _time;

    public SqlQueryTool(SqlToolOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    [KernelFunction("sql_query")]
    [Description("Runs one read-only SQLite SELECT statement (WITH ... SELECT is fine) on the database and returns the rows as a table: " +
        "a header line of column names, then one line per row with cells separated by ' | ', NULL for missing values. " +
        "Results are capped in rows and characters and say where they were cut, so aggregate, filter and LIMIT in SQL. " +
        "Writes, PRAGMA, ATTACH and more than one statement are refused. Call sql_schema first to learn the tables and columns.")]
    public string Query(
        [Description("Exactly one SQLite SELECT statement.")] string query,
        CancellationToken cancellationToken = default) =>
        Execute(query, cancellationToken).ToTable();

    [KernelFunction("sql_schema")]
    [Description("Describes the database: one line per table or view with its columns and their types, " +
        "PRIMARY KEY on key columns and REFERENCES Table(column) on foreign keys. Use it to write queries for sql_query.")]
    public string Schema(CancellationToken cancellationToken = default)
    {
        using var connection = ReadOnlyConnection.Open(_options, _time, cancellationToken);
        return SqlSchemaText.Read(connection, _options.MaxResultChars);
    }

    /// <summary>Runs one query under the same rules and caps as <c>sql_query</c> and returns its rows, for callers that want values rather than text.</summary>
    /// <exception cref="SqlToolException">The query was refused, failed, or hit a limit; the message says which in one sentence.</exception>
    public SqlQueryResult Execute(string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new SqlToolException("The query is empty; send one SELECT statement.");
        }

        using var connection = ReadOnlyConnection.Open(_options, _time, cancellationToken);
        return connection.Query(query, _options.MaxRows, _options.MaxResultChars);
    }

    /// <summary>The two tools as Semantic Kernel functions, ready for <see cref="AgentOptions.Tools"/>.</summary>
    public static IReadOnlyList<KernelFunction> CreateFunctions(SqlToolOptions options, TimeProvider? timeProvider = null)
    {
        var tool = new SqlQueryTool(options, timeProvider);
        return
        [
            KernelFunctionFactory.CreateFromMethod(tool.Query, functionName: "sql_query"),
            KernelFunctionFactory.CreateFromMethod(tool.Schema, functionName: "sql_schema"),
        ];
    }
}
