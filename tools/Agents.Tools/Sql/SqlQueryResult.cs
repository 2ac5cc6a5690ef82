using System.Globalization;
using System.Text;

namespace Agents.Tools.Sql;

/// <summary>
/// The rows of one query, already cut to the tool's caps. Values are <see cref="long"/>,
/// <see cref="double"/>, <see cref="string"/> (text cut to the cell cap; blobs as <c>&lt;blob N bytes&gt;</c>) or null.
/// </summary>
public sealed class SqlQueryResult
{
    private const string Separator = " | ";

    internal SqlQueryResult(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, bool truncated, int? charLimit)
    {
        Columns = columns;
        Rows = rows;
        Truncated = truncated;
        CharLimit = charLimit;
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<object?[]> Rows { get; }

    /// <summary>True when the query had more rows than were returned.</summary>
    public bool Truncated { get; }

    /// <summary>The character cap that cut the result, when that (rather than the row cap) did.</summary>
    public int? CharLimit { get; }

    /// <summary>
    /// The result as the model reads it: a header of column names, one line per row with cells
    /// separated by <c> | </c>, NULL for null, and a last line counting the rows or saying where they were cut.
    /// </summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        AppendLine(text, Columns);
        foreach (var row in Rows)
        {
            AppendLine(text, row);
        }

        var count = Rows.Count.ToString(CultureInfo.InvariantCulture);
        text.Append(Truncated switch
        {
            false => $"({count} {(Rows.Count == 1 ? "row" : "rows")})",
            true when CharLimit is { } limit => $"(truncated at {count} rows: the result reached {limit.ToString(CultureInfo.InvariantCulture)} characters; select fewer columns or rows)",
            true => $"(truncated at {count} rows; add WHERE, LIMIT or an aggregate to get what you need)",
        });
        return text.ToString();
    }

    /// <summary>How many characters <see cref="ToTable"/> spends on one line of these cells, its line break included.</summary>
    internal static int LineLength(IReadOnlyList<object?> cells)
    {
        var length = Math.Max(0, cells.Count - 1) * Separator.Length + 1;
        foreach (var cell in cells)
        {
            length += Format(cell).Length;
        }

        return length;
    }

    private static void AppendLine(StringBuilder text, IReadOnlyList<object?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                text.Append(Separator);
            }

            text.Append(Format(cells[i]));
        }

        text.Append('\n');
    }

    // Escaping keeps one row on one line and one cell between two separators, whatever the data holds.
    private static string Format(object? cell) => cell switch
    {
        null => "NULL",
        string s => s.AsSpan().IndexOfAny('|', '\n', '\r') < 0 ? s : s.Replace("|", "\\|").Replace("\r", "\\r").Replace("\n", "\\n"),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
