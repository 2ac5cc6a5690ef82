namespace Agents.Testing;

/// <summary>A fresh folder under the system temp folder for one test's files, deleted with everything in it on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("agents-tests-").FullName;

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file into the folder and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
