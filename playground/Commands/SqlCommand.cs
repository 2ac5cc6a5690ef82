using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Agents.Tools.Sql;

namespace Agents.Playground.Commands;

/// <summary>
/// <c>agents sql DB QUERY</c>: runs one query through the <c>sql_query</c> tool, under the same
/// read-only rules and limits a model gets; the table (or with --json, one object) goes to stdout.
/// </summary>
internal static class SqlCommand
{
    // Relaxed escaping keeps names like "Antônio Carlos Jobim" readable; stdout is not HTML.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal)
    {
        var database = new Argument<FileInfo>("database") { Description = "The SQLite database file, opened read-only.", HelpName = "DB" };
        var query = new Argument<string>("query") { Description = "One SELECT statement.", HelpName = "QUERY" };
        var json = new Option<bool>("--json") { Description = "Print {\"columns\": [...], \"rows\": [[...]], \"truncated\": bool} instead of a table." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show details of failures, including stack traces." };
        var command = new Command("sql", "Run one read-only SQL query with the sql_query tool's limits.") { database, query, json, verbose };

        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(terminal, result.GetValue(verbose), () =>
        {
            var path = result.GetValue(database)!;

            // A missing file is a wrong argument (exit 2), as for 'agents trace'; the tool would refuse it too, but as a runtime failure.
            if (!path.Exists)
            {
                throw new UsageException($"Database file '{path.FullName}' does not exist; give the path of an SQLite file.");
            }

            var tool = new SqlQueryTool(new SqlToolOptions { DatabasePath = path.FullName });
            var rows = tool.Execute(result.GetValue(query)!, cancellationToken);

            terminal.Output.WriteLine(result.GetValue(json) ? ToJson(rows) : rows.ToTable());
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static string ToJson(SqlQueryResult rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var column in rows.Columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var row in rows.Rows)
            {
                writer.WriteStartArray();
                foreach (var cell in row)
                {
                    WriteCell(writer, cell);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteBoolean("truncated", rows.Truncated);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCell(Utf8JsonWriter writer, object? cell)
    {
        switch (cell)
        {
            case null:
                writer.WriteNullValue();
                break;
            case long integer:
                writer.WriteNumberValue(integer);
                break;

            // JSON has no infinity (SQLite returns it for 1e999); such a value is written as text.
            case double real when double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            case double real:
                writer.WriteStringValue(double.IsPositiveInfinity(real) ? "Infinity" : double.IsNegativeInfinity(real) ? "-Infinity" : "NaN");
                break;
            default:
                writer.WriteStringValue(cell.ToString());
                break;
        }
    }
}
