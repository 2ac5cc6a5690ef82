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

    private static readonly HashSet<string> SchemaTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema",
    };

    // Pragmas that only describe the schema (what sql_schema reads); their argument names a table or
    // index rather than a setting, so no form of them changes the connection or the file.
    private static readonly HashSet<string> AllowedPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    };

    // The first refusal since the last Reset: its action code and first argument, turned into words only when reported.
    private int _refusedAction = -1;
    private string? _refusedName;

    public void Reset() => (_refusedAction, _refusedName) = (-1, null);

    /// <summary>Whether anything was refused since the last <see cref="Reset"/>: then that refusal, not SQLite's generic message, is the reason a statement failed.</summary>
    public bool HasRefused => _refusedAction != -1;

    /// <summary>What the authorizer refused in <paramref name="sql"/>, as "ATTACH", "PRAGMA journal_mode" or "the function load_extension()".</summary>
    public string DescribeRefusal(string sql) => _refusedAction switch
    {
        -1 => LeadingKeywords.Of(sql),
        raw.SQLITE_FUNCTION => $"the function {_refusedName}()",
        raw.SQLITE_PRAGMA => $"PRAGMA {_refusedName}",
        // BEGIN, COMMIT or ROLLBACK.
        raw.SQLITE_TRANSACTION => _refusedName ?? "a transaction",
        raw.SQLITE_SAVEPOINT => _refusedName switch { "RELEASE" => "RELEASE", "ROLLBACK" => "ROLLBACK TO", _ => "SAVEPOINT" },

        // DDL first asks to write the schema table, so that refusal is named after the statement: "CREATE TABLE", not "INSERT".
        raw.SQLITE_INSERT or raw.SQLITE_UPDATE or raw.SQLITE_DELETE when SchemaTables.Contains(_refusedName ?? "") => LeadingKeywords.Of(sql),
        _ => Describe(_refusedAction),
    };

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
                var function = param1.utf8_to_string() ?? "";
                return DeniedFunctions.Contains(function) ? Deny(action, function) : raw.SQLITE_OK;
            case raw.SQLITE_PRAGMA:
                var pragma = param0.utf8_to_string() ?? "";
                return AllowedPragmas.Contains(pragma) ? raw.SQLITE_OK : Deny(action, pragma);
            default:
                return Deny(action, param0.utf8_to_string());
        }
    }

    private int Deny(int action, string? name)
    {
        if (_refusedAction == -1)
        {
            (_refusedAction, _refusedName) = (action, name);
        }

        return raw.SQLITE_DENY;
    }

    private static string Describe(int action) => action switch
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
        raw.SQLITE_UPDATE => "UPDATE",
        raw.SQLITE_ATTACH => "ATTACH",
        raw.SQLITE_DETACH => "DETACH",
        raw.SQLITE_ALTER_TABLE => "ALTER TABLE",
        raw.SQLITE_REINDEX => "REINDEX",
        raw.SQLITE_ANALYZE => "ANALYZE",
        raw.SQLITE_CREATE_VTABLE => "CREATE VIRTUAL TABLE",
        raw.SQLITE_DROP_VTABLE => "DROP VIRTUAL TABLE",
        _ => $"an operation SQLite calls {action}",
    };
}
