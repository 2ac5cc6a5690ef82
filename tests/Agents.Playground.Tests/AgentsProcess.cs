using System.Diagnostics;

namespace Agents.Playground.Tests;

/// <summary>Runs the built console as a child process, the way a user does, with a clean model environment.</summary>
internal static class AgentsProcess
{
    private static readonly string s_dll = Path.Combine(AppContext.BaseDirectory, "agents.dll");

    /// <summary>Variables a developer's shell may set that would point the console at a real server or model.</summary>
    private static readonly string[] s_modelVariables = ["AGENTS_ENDPOINT", "AGENTS_API_KEY", "AGENTS_MODEL", "AGENTS_EMBEDDING_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "AGENTS_MODELS", "HF_TOKEN", "HF_ENDPOINT"];

    public static Task<ProcessResult> RunAsync(string workingDirectory, string? stdin, params string[] args) =>
        RunAsync(workingDirectory, stdin, new Dictionary<string, string>(), args);

    /// <summary>Runs the console with <paramref name="environment"/> added to its (cleaned) environment.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();

        // Generous: a hung console is a failure, a slow machine is not.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"agents {string.Join(' ', args)} did not exit within 60 s; stderr so far: {await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the console with every stream redirected, for tests that watch or stop it while it runs.</summary>
    public static Process Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    private static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(s_dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in s_modelVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The console contract for failures: exactly one line, and no stack trace.</summary>
    public void AssertOneSentenceFailure(int exitCode)
    {
        Assert.True(ExitCode == exitCode, $"exit code {ExitCode}, expected {exitCode}; stderr: {Stderr}");
        // A stack trace would add "   at ..." lines; an exception's type name would leak into the sentence.
        var line = Assert.Single(StderrLines);
        Assert.DoesNotContain("Exception", line);
    }
}
