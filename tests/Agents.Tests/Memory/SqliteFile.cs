using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Agents.Tests.Memory;

/// <summary>Reads a SQLite file directly, bypassing the code under test.</summary>
internal static class SqliteFile
{
    /// <summary>Runs <paramref name="sql"/> on its own unpooled connection; each row comes back as its columns joined by '|'.</summary>
    public static async Task<List<string>> QueryAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
