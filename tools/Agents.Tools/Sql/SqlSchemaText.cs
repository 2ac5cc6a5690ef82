using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Agents.Tools.Sql;

/// <summary>
/// The schema as <c>sql_schema</c> shows it: one line per table or view in SQL's own words, e.g.
/// <c>TABLE Album(AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160), ArtistId INTEGER REFERENCES Artist(ArtistId))</c>,
/// which a model turns into joins without further explanation.
/// </summary>
internal static partial class SqlSchemaText
{
    // Read through the same locked-down connection as any query: pragma_table_info and
    // pragma_foreign_key_list are on the authorizer's allow-list, sqlite_schema is an ordinary read.
    private const string ColumnsQuery = """
        SELECT m.type, m.name, p.name, p.type, p.pk
        FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
        WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
        ORDER BY m.type, m.name, p.cid
        """;

    private const string ForeignKeysQuery = """
        SELECT m.name, f.id, f."from", f."table", f."to"
        FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
        ORDER BY m.name, f.id, f.seq
        """;

    // The schema of any real database fits; past this the reading itself is the problem.
    private const int MaxSchemaRows = 100_000;

    public static string Read(ReadOnlyConnection connection, int maxChars)
    {
        var columns = connection.Query(ColumnsQuery, MaxSchemaRows, int.MaxValue);
        var foreignKeys = connection.Query(ForeignKeysQuery, MaxSchemaRows, int.MaxValue);
        var keysByTable = foreignKeys.Rows
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => (long)r[1]!).Select(k => k.ToList()).ToList(), StringComparer.Ordinal);

        var objects = columns.Rows.GroupBy(r => ((string)r[0]!, (string)r[1]!)).ToList();
        if (objects.Count == 0)
        {
            return "The database has no tables or views.";
        }

        var text = new StringBuilder();
        var shown = 0;
        foreach (var table in objects)
        {
            var line = Line(table.Key.Item1, table.Key.Item2, [.. table], keysByTable.GetValueOrDefault(table.Key.Item2) ?? []);
            if (text.Length + line.Length + 1 > maxChars)
            {
                text.Append(CultureInfo.InvariantCulture, $"(schema truncated at {shown} of {objects.Count} tables and views; read the rest from sqlite_schema with sql_query)");
                return text.ToString();
            }

            text.Append(line).Append('\n');
            shown++;
        }

        return text.ToString(0, text.Length - 1);
    }

    private static string Line(string type, string name, List<object?[]> columns, List<List<object?[]>> foreignKeys)
    {
        // A key of one column is marked on the column; a composite one is listed after the columns, as SQL writes it.
        var singleKeys = foreignKeys.Where(k => k.Count == 1).ToDictionary(k => (string)k[0][2]!, k => k[0], StringComparer.OrdinalIgnoreCase);
        var primaryKey = columns.Where(c => (long)c[4]! > 0).OrderBy(c => (long)c[4]!).Select(c => (string)c[2]!).ToList();

        var parts = new List<string>();
        foreach (var column in columns)
        {
            var part = new StringBuilder(Quote((string)column[2]!));
            if (column[3] is string { Length: > 0 } declared)
            {
                part.Append(' ').Append(declared);
            }

            if (primaryKey.Count == 1 && (long)column[4]! == 1)
            {
                part.Append(" PRIMARY KEY");
            }

            if (singleKeys.TryGetValue((string)column[2]!, out var key))
            {
                part.Append(" REFERENCES ").Append(Reference(key[3], [key[4]]));
            }

            parts.Add(part.ToString());
        }

        if (primaryKey.Count > 1)
        {
            parts.Add($"PRIMARY KEY ({string.Join(", ", primaryKey.Select(Quote))})");
        }

        foreach (var key in foreignKeys.Where(k => k.Count > 1))
        {
            parts.Add($"FOREIGN KEY ({string.Join(", ", key.Select(k => Quote((string)k[2]!)))}) REFERENCES {Reference(key[0][3], [.. key.Select(k => k[4])])}");
        }

        return $"{type.ToUpperInvariant()} {Quote(name)}({string.Join(", ", parts)})";
    }

    // A null target column means the referenced table's primary key, which SQL writes as the bare table name.
    private static string Reference(object? table, List<object?> targets) =>
        targets.All(t => t is string)
            ? $"{Quote((string)table!)}({string.Join(", ", targets.Select(t => Quote((string)t!)))})"
            : Quote((string)table!);

    private static string Quote(string identifier) =>
        PlainIdentifier().IsMatch(identifier) ? identifier : $"\"{identifier.Replace("\"", "\"\"")}\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
