using Spectre.Console;

namespace Agents.Playground;

/// <summary>
/// Where commands write: results to standard output, progress and failures to standard error, so
/// <c>agents run ... &gt; answer.txt</c> captures only the answer.
/// </summary>
internal sealed class Terminal(TextReader input, TextWriter output, TextWriter error)
{
    // Redirected output has no terminal width; wide enough that tool results stay on one line.
    private const int RedirectedWidth = 160;

    public TextReader Input { get; } = input;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool IsInteractive { get; init; }

    /// <summary>Rich rendering (trees, colours) to standard output.</summary>
    public IAnsiConsole Out { get; } = CreateConsole(output);

    /// <summary>Rich rendering (live steps, colours) to standard error.</summary>
    public IAnsiConsole Err { get; } = CreateConsole(error);

    public static Terminal FromConsole() =>
        new(Console.In, Console.Out, Console.Error) { IsInteractive = !Console.IsInputRedirected };

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (!console.Profile.Out.IsTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
