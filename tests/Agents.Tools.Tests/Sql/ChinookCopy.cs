using System.Security.Cryptography;
using Agents.Testing;
using Agents.Tools.Sql;

namespace Agents.Tools.Tests.Sql;

/// <summary>A private copy of the Chinook database in a temp folder, so no test can touch the committed file or another test's copy.</summary>
public sealed class ChinookCopy : IDisposable
{
    private readonly TempFolder _folder = new();

    public ChinookCopy()
    {
        DatabasePath = _folder.PathOf("chinook.sqlite");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "data", "chinook.sqlite"), DatabasePath);
    }

    public string DatabasePath { get; }

    public string FolderPath => _folder.Path;

    public SqlQueryTool CreateTool(Action<SqlToolOptions>? configure = null)
    {
        var options = new SqlToolOptions { DatabasePath = DatabasePath };
        configure?.Invoke(options);
        return new SqlQueryTool(options);
    }

    /// <summary>The SHA-256 of the database file and of every file beside it (a journal or WAL file would show up here).</summary>
    public string Fingerprint() =>
        string.Join("\n", Directory.GetFiles(_folder.Path).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    public void Dispose() => _folder.Dispose();
}
