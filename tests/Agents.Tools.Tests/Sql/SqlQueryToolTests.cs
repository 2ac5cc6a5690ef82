using Agents.Tools.Sql;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Tests.Sql;

public sealed class SqlQueryToolTests : IDisposable
{
    private readonly ChinookCopy _chinook = new();

    public void Dispose() => _chinook.Dispose();

    [Fact]
    public void Counts_the_artists()
    {
        var table = _chinook.CreateTool().Query("SELECT count(*) FROM Artist");

        Assert.Equal("count(*)\n275\n(1 row)", table);
    }

    [Fact]
    public void Joins_tables_and_shows_a_header_of_column_names()
    {
        var table = _chinook.CreateTool().Query("""
            SELECT ar.Name AS Artist, count(*) AS Albums
            FROM Album AS al JOIN Artist AS ar ON ar.ArtistId = al.ArtistId
            GROUP BY ar.ArtistId ORDER BY Albums DESC, ar.Name LIMIT 3
            """);

        Assert.Equal("Artist | Albums\nIron Maiden | 21\nLed Zeppelin | 14\nDeep Purple | 11\n(3 rows)", table);
    }

    [Fact]
    public void Shows_nulls_reals_and_blobs_so_they_cannot_be_mistaken()
    {
        var table = _chinook.CreateTool().Query("""
            SELECT Company, Fax, 0.99 AS Price, x'00FF10' AS Data, 'a|b' || char(10) || 'c' AS Text FROM Customer WHERE CustomerId = 2
            """);

        Assert.Equal("Company | Fax | Price | Data | Text\nNULL | NULL | 0.99 | <blob 3 bytes> | a\\|b\\nc\n(1 row)", table);
    }

    [Fact]
    public void Returns_typed_values_for_callers_that_want_them()
    {
        var result = _chinook.CreateTool().Execute("SELECT TrackId, Name, UnitPrice, Composer FROM Track WHERE TrackId IN (1, 63) ORDER BY TrackId");

        Assert.Equal(["TrackId", "Name", "UnitPrice", "Composer"], result.Columns);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(1L, result.Rows[0][0]);
        Assert.Equal("For Those About To Rock (We Salute You)", result.Rows[0][1]);
        Assert.Equal(0.99, result.Rows[0][2]);
        Assert.Null(result.Rows[1][3]);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void Cuts_at_the_row_cap_and_says_so()
    {
        var tool = _chinook.CreateTool(o => o.MaxRows = 10);

        var table = tool.Query("SELECT TrackId FROM Track ORDER BY TrackId");

        var lines = table.Split('\n');
        Assert.Equal(12, lines.Length);
        Assert.Equal("10", lines[^2]);
        Assert.StartsWith("(truncated at 10 rows;", lines[^1]);
        Assert.True(tool.Execute("SELECT TrackId FROM Track").Truncated);
        Assert.False(tool.Execute("SELECT TrackId FROM Track LIMIT 10").Truncated);
    }

    [Fact]
    public void Cuts_at_the_character_cap_and_says_so()
    {
        var table = _chinook.CreateTool(o => o.MaxResultChars = 1_000).Query("SELECT Name, Composer FROM Track");

        Assert.True(table.Length < 1_200, $"{table.Length} characters");
        Assert.Matches(@"\(truncated at \d+ rows: the result reached 1000 characters; select fewer columns or rows\)$", table);
    }

    [Fact]
    public void Cuts_long_values_to_the_cell_cap()
    {
        var table = _chinook.CreateTool(o => o.MaxCellChars = 20).Query("SELECT group_concat(Name, ', ') AS Names FROM Artist");

        var cell = table.Split('\n')[1];
        Assert.Equal(21, cell.Length);
        Assert.EndsWith("…", cell);
    }

    [Theory]
    [InlineData("SELECT count(*) FROM Artist;")]
    [InlineData("SELECT count(*) FROM Artist; -- trailing comment")]
    [InlineData("  SELECT count(*) FROM Artist /* block */ ;\n\n  ;  ")]
    [InlineData("-- leading comment\nSELECT count(*) FROM Artist")]
    [InlineData("WITH a AS (SELECT * FROM Artist) SELECT count(*) FROM a")]
    public void Accepts_comments_whitespace_and_semicolons_around_one_statement(string query)
    {
        Assert.Equal("275", _chinook.CreateTool().Query(query).Split('\n')[1]);
    }

    [Fact]
    public void Allows_the_pragmas_that_only_describe_the_schema()
    {
        var table = _chinook.CreateTool().Query("SELECT name FROM pragma_table_info('Artist') ORDER BY cid");

        Assert.Equal("name\nArtistId\nName\n(2 rows)", table);
        Assert.Contains("Album", _chinook.CreateTool().Query("PRAGMA foreign_key_list(Track)"));
    }

    [Fact]
    public void Schema_lists_the_eleven_tables_with_types_and_keys()
    {
        var schema = _chinook.CreateTool().Schema();

        var lines = schema.Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("TABLE ", l));
        Assert.Contains("TABLE Album(AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160), ArtistId INTEGER REFERENCES Artist(ArtistId))", lines);
        Assert.Contains("TABLE PlaylistTrack(PlaylistId INTEGER REFERENCES Playlist(PlaylistId), TrackId INTEGER REFERENCES Track(TrackId), PRIMARY KEY (PlaylistId, TrackId))", lines);
        var track = Assert.Single(lines, l => l.StartsWith("TABLE Track(", StringComparison.Ordinal));
        Assert.Contains("MediaTypeId INTEGER REFERENCES MediaType(MediaTypeId)", track);
        Assert.Contains("GenreId INTEGER REFERENCES Genre(GenreId)", track);
        Assert.Contains("ReportsTo INTEGER REFERENCES Employee(EmployeeId)", Assert.Single(lines, l => l.StartsWith("TABLE Employee(", StringComparison.Ordinal)));
    }

    [Fact]
    public void Schema_shows_views_and_composite_foreign_keys()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_chinook.DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE VIEW "Artist Albums" AS SELECT ar.Name, al.Title FROM Artist ar JOIN Album al USING (ArtistId);
                CREATE TABLE Pair(a INTEGER, b INTEGER, note, FOREIGN KEY (a, b) REFERENCES PlaylistTrack(PlaylistId, TrackId));
                """;
            command.ExecuteNonQuery();
        }

        var lines = _chinook.CreateTool().Schema().Split('\n');

        Assert.Contains("TABLE Pair(a INTEGER, b INTEGER, note, FOREIGN KEY (a, b) REFERENCES PlaylistTrack(PlaylistId, TrackId))", lines);
        Assert.Contains("VIEW \"Artist Albums\"(Name NVARCHAR(120), Title NVARCHAR(160))", lines);
    }

    [Fact]
    public void Schema_is_cut_to_the_character_cap_and_says_so()
    {
        var schema = _chinook.CreateTool(o => o.MaxResultChars = 400).Schema();

        Assert.True(schema.Length < 600, schema);
        Assert.Matches(@"\(schema truncated at \d+ of 11 tables and views; read the rest from sqlite_schema with sql_query\)$", schema);
    }

    [Fact]
    public async Task Is_exposed_to_the_model_as_sql_query_and_sql_schema()
    {
        var functions = SqlQueryTool.CreateFunctions(new SqlToolOptions { DatabasePath = _chinook.DatabasePath });

        Assert.Equal(["sql_query", "sql_schema"], functions.Select(f => f.Name));
        Assert.Contains("\"query\"", functions[0].JsonSchema.GetRawText());
        Assert.Contains("read-only", functions[0].Description);
        Assert.Contains("foreign keys", functions[1].Description);
        var result = await functions[0].InvokeAsync(new Kernel(), new KernelArguments { ["query"] = "SELECT Name FROM Genre WHERE GenreId = 1" });
        Assert.Equal("Name\nRock\n(1 row)", result.GetValue<string>());
    }

    [Fact]
    public void A_missing_database_file_is_a_clear_error_and_is_not_created()
    {
        var path = Path.Combine(_chinook.FolderPath, "nope.sqlite");

        var error = Assert.Throws<SqlToolException>(() => new SqlQueryTool(new SqlToolOptions { DatabasePath = path }).Query("SELECT 1"));

        Assert.Equal($"The database file '{path}' does not exist.", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        var path = Path.Combine(_chinook.FolderPath, "notes.txt");
        File.WriteAllText(path, new string('x', 4096));

        var error = Assert.Throws<SqlToolException>(() => new SqlQueryTool(new SqlToolOptions { DatabasePath = path }).Query("SELECT 1 FROM sqlite_schema"));

        Assert.Equal("SQLite could not run the query: file is not a database.", error.Message);
    }

    [Fact]
    public void A_syntax_error_reports_sqlites_message()
    {
        var error = Assert.Throws<SqlToolException>(() => _chinook.CreateTool().Query("SELEC * FROM Artist"));

        Assert.Equal("SQLite could not run the query: near \"SELEC\": syntax error.", error.Message);
    }

    [Fact]
    public void An_unknown_table_reports_sqlites_message()
    {
        var error = Assert.Throws<SqlToolException>(() => _chinook.CreateTool().Query("SELECT * FROM Artists"));

        Assert.Equal("SQLite could not run the query: no such table: Artists.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-- only a comment")]
    [InlineData(";;")]
    public void An_empty_query_is_a_clear_error(string query)
    {
        var error = Assert.Throws<SqlToolException>(() => _chinook.CreateTool().Query(query));

        Assert.Equal("The query is empty; send one SELECT statement.", error.Message);
    }

    [Fact]
    public void Options_without_a_database_path_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SqlQueryTool(new SqlToolOptions { DatabasePath = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqlQueryTool(new SqlToolOptions { DatabasePath = "x", Timeout = TimeSpan.Zero }));
    }
}
