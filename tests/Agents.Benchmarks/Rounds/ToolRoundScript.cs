using System.ComponentModel;

namespace Agents.Benchmarks.Rounds;

/// <summary>The one tool round every scenario plays: the question, the tool, and the answer it must end with.</summary>
internal static class ToolRoundScript
{
    public const string ModelId = "gpt-4o-mini";

    public const string ApiKey = "sk-benchmark-not-a-real-key";

    public const string Instructions = "You are a careful calculator. Use the add tool for arithmetic.";

    public const string Question = "What is 17 + 25?";

    public const int A = 17;

    public const int B = 25;

    public const string CallId = "call_Q2bX7mJr4kLp9sTnW1yZ";

    public const string Answer = "17 + 25 = 42.";

    /// <summary>The tool's result as text; the second request must carry it, or the tool did not run.</summary>
    public const string ToolResult = "42";

    /// <summary>Never dialled: the replay handler answers in process. Loopback all the same.</summary>
    public static readonly Uri Endpoint = new("http://127.0.0.1/v1/");

    [Description("Adds two integers and returns the sum.")]
    public static int Add([Description("The first addend.")] int a, [Description("The second addend.")] int b) => a + b;
}
