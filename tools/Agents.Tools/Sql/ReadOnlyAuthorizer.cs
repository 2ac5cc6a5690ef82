using SQLitePCL;

namespace Agents.Tools.Sql;

/// <summary>
/// SQLite's authorizer for the SQL tool: consulted while each statement is compiled, it allows
/// only reading (SELECT, column reads, recursive CTEs, harmless functions, schema-describing
/// pragmas) and denies everything else, so read-only is enforced by the engine whatever the query says.
/// </summary>
internal sealed class ReadOnlyAuthorizer
{
    // Functions that reach outside the database or corrupt memory when given a pointer:
    // extension loading, the CLI's file functions (absent from e_sqlite3, refused should a build add them),
    // and the FTS tokenizer hooks that take raw pointers.
    private static readonly HashSet<string> DeniedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "fts5", "fsdir", "zipfile",
    };

    // Pragmas that only describe the schema (what sql_schema reads); their argument names a table or
    // index rather than a setting, so no form of them changes the connection or the file.
    private static readonly HashSet<string> AllowedPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    };

    /// <summary>What was refused first since the last <see cref="Reset"/>, as "ATTACH" or "the function load_extension()"; null when nothing was.</summary>
    public string? Refused { get; private set; }

    public void Reset() => Refused = null;

    /// <summary>Installs this authorizer on an open connection.</summary>
    public void Install(sqlite3 db) => raw.sqlite3_set_authorizer(db, Authorize, null);

    private int Authorize(object userData, int action, utf8z param0, utf8z param1, utf8z database, utf8z triggerOrView)
    {
        switch (action)
        {
            case raw.SQLITE_SELECT:
            case raw.SQLITE_READ:
            case raw.SQLITE_RECURSIVE:
                return raw.SQLITE_OK;
            case raw.SQLITE_FUNCTION:
                var function = param1.utf8_to_string();
                return DeniedFunctions.Contains(function) ? Deny($"the function {function}()") : raw.SQLITE_OK;
            case raw.SQLITE_PRAGMA:
                var pragma = param0.utf8_to_string();
                return AllowedPragmas.Contains(pragma) ? raw.SQLITE_OK : Deny($"PRAGMA {pragma}");
            default:
                return Deny(Describe(action, param0));
        }
    }

    private int Deny(string what)
    {
        Refused ??= what;
        return raw.SQLITE_DENY;
    }

    private static string Describe(int action, utf8z param0) => action switch
    {
        raw.SQLITE_CREATE_INDEX => "CREATE INDEX",
        raw.SQLITE_CREATE_TABLE => "CREATE TABLE",
        raw.SQLITE_CREATE_TEMP_INDEX => "CREATE TEMP INDEX",
        raw.SQLITE_CREATE_TEMP_TABLE => "CREATE TEMP TABLE",
        raw.SQLITE_CREATE_TEMP_TRIGGER => "CREATE TEMP TRIGGER",
        raw.SQLITE_CREATE_TEMP_VIEW => "CREATE TEMP VIEW",
        raw.SQLITE_CREATE_TRIGGER => "CREATE TRIGGER",
        raw.SQLITE_CREATE_VIEW => "CREATE VIEW",
        raw.SQLITE_DELETE => "DELETE",
        raw.SQLITE_DROP_INDEX => "DROP INDEX",
        raw.SQLITE_DROP_TABLE => "DROP TABLE",
        raw.SQLITE_DROP_TEMP_INDEX => "DROP TEMP INDEX",
        raw.SQLITE_DROP_TEMP_TABLE => "DROP TEMP TABLE",
        raw.SQLITE_DROP_TEMP_TRIGGER => "DROP TEMP TRIGGER",
        raw.SQLITE_DROP_TEMP_VIEW => "DROP TEMP VIEW",
        raw.SQLITE_DROP_TRIGGER => "DROP TRIGGER",
        raw.SQLITE_DROP_VIEW => "DROP VIEW",
        raw.SQLITE_INSERT => "INSERT",
        // BEGIN, COMMIT or ROLLBACK.
        raw.SQLITE_TRANSACTION => param0.utf8_to_string() ?? "a transaction",
        raw.SQLITE_UPDATE => "UPDATE",
        raw.SQLITE_ATTACH => "ATTACH",
        raw.SQLITE_DETACH => "DETACH",
        raw.SQLITE_ALTER_TABLE => "ALTER TABLE",
        raw.SQLITE_REINDEX => "REINDEX",
        raw.SQLITE_ANALYZE => "ANALYZE",
        raw.SQLITE_CREATE_VTABLE => "CREATE VIRTUAL TABLE",
        raw.SQLITE_DROP_VTABLE => "DROP VIRTUAL TABLE",
        raw.SQLITE_SAVEPOINT => "SAVEPOINT",
        _ => $"an operation SQLite calls {action}",
    };
}
