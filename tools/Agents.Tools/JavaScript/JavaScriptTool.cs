using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Acornima.Ast;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Microsoft.SemanticKernel;

namespace Agents.Tools.JavaScript;

/// <summary>
/// The <c>run_javascript</c> tool: runs a script in a fresh Jint engine with no access to .NET or the
/// host (the only thing added to plain JavaScript is <c>console</c>), under the finite limits of
/// <see cref="JavaScriptToolOptions"/>, and returns what it logged and the value of its last expression.
/// </summary>
public sealed partial class JavaScriptTool
{
    private const string Purpose =
        "Runs a JavaScript (ES2023) snippet in a sandbox and returns what it printed with console.log and the value of its last expression (objects as JSON). " +
        "Use it for exact arithmetic, dates, string and data manipulation. Plain JavaScript only: no network, files, modules, require, timers or host objects.";

    private static readonly Prepared<Script> s_prelude = Engine.PrepareScript(ReadPrelude(), "sandbox-prelude");

    private readonly JavaScriptToolOptions _options;
    private readonly TimeProvider _time;

    public JavaScriptTool(JavaScriptToolOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new JavaScriptToolOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The description the model sees, with this tool's limits filled in.</summary>
    public string ModelDescription => string.Create(CultureInfo.InvariantCulture,
        $"{Purpose} Limits: {DescribeDuration(_options.Timeout)} of run time, {DescribeBytes(_options.MemoryLimit)} of memory, " +
        $"{_options.MaxRecursionDepth:N0} nested calls, {_options.MaxArraySize:N0} array elements, " +
        $"{_options.MaxSourceLength:N0} characters of code, {_options.MaxOutputLength:N0} characters of output.");

    [KernelFunction("run_javascript")]
    [Description(Purpose + " Run time, memory, call depth, array size, code size and output size are limited.")]
    public async Task<string> RunJavaScriptAsync(
        [Description("The JavaScript source to run. The value of the last expression is returned; use console.log for anything else you want to see.")] string code,
        CancellationToken cancellationToken = default)
    {
        var result = await ExecuteAsync(code, cancellationToken).ConfigureAwait(false);
        var text = (result.Output.TrimEnd('\n'), result.Result) switch
        {
            ("", null) => "The script printed nothing and its last value was undefined.",
            ("", var value) => value,
            (var output, null) => output,
            (var output, var value) => $"{output}\n=> {value}",
        };
        return result.Truncated ? text + TruncationMarker() : text;
    }

    /// <summary>Runs one script in a fresh engine; a limit hit or a script error throws <see cref="JavaScriptToolException"/>.</summary>
    public Task<JavaScriptResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length > _options.MaxSourceLength)
        {
            throw new JavaScriptToolException(string.Create(CultureInfo.InvariantCulture,
                $"The script is {code.Length:N0} characters; the limit is {_options.MaxSourceLength:N0}."));
        }

        // A thread of its own: a script may compute for the whole timeout, which would hold a pool thread.
        return Task.Factory.StartNew(() => Execute(code, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The tool as a Semantic Kernel function, ready for <see cref="AgentOptions.Tools"/>.</summary>
    public static KernelFunction CreateFunction(JavaScriptToolOptions? options = null, TimeProvider? timeProvider = null)
    {
        var tool = new JavaScriptTool(options, timeProvider);
        return KernelFunctionFactory.CreateFromMethod(tool.RunJavaScriptAsync, functionName: "run_javascript", description: tool.ModelDescription);
    }

    private JavaScriptResult Execute(string code, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var output = new StringBuilder();
        var truncated = false;
        // Compared inline before each statement: a timer-driven token alone only fires once the thread pool
        // runs its callback, so on a busy machine a loop outlived its limit by seconds.
        var budget = new OperationDeadlineConstraint();

        var engine = new Engine(options =>
        {
            options.Interop.Enabled = false;
            options.CancellationToken(stop.Token);
            options.Constraint(budget);
            options.MaxStatements(_options.MaxStatements);
            options.LimitMemory(_options.MemoryLimit);
            options.LimitRecursion(_options.MaxRecursionDepth);
            options.Constraints.RegexTimeout = _options.RegexTimeout;
            options.Constraints.MaxArraySize = _options.MaxArraySize;
            // Native recursion (a deeply nested array turned into a string, say) becomes a catchable
            // RangeError instead of a stack overflow, which would end the whole process.
            options.Constraints.StackOverflowGuard = true;
        });

        var write = new ClrFunction(engine, "write", (_, arguments) =>
        {
            var line = arguments.At(0).AsString();
            if (output.Length + line.Length + 1 > _options.MaxOutputLength)
            {
                output.Append(line.AsSpan(0, Math.Max(0, _options.MaxOutputLength - output.Length)));
                truncated = true;
            }
            else if (!truncated)
            {
                output.Append(line).Append('\n');
            }

            return JsValue.Undefined;
        });
        var tooLarge = new ClrFunction(engine, "tooLarge", (_, _) => throw MemoryLimitHit(null));
        var maxChars = (double)Math.Min(int.MaxValue, _options.MemoryLimit / sizeof(char));

        try
        {
            var show = engine.Invoke(engine.Evaluate(s_prelude), write, tooLarge, maxChars);

            // The clock starts with the model's script: a cold first call spends time on JIT, not on the script.
            deadline.CancelAfter(_options.Timeout);
            budget.Begin(_options.Timeout, cancellationToken);
            var value = engine.Evaluate(code, "script").UnwrapIfPromise(stop.Token);
            var shown = engine.Invoke(show, value);
            string? result = shown.IsUndefined() ? null : shown.AsString();
            var room = Math.Max(0, _options.MaxOutputLength - output.Length);
            if (result is not null && result.Length > room)
            {
                result = result[..room];
                truncated = true;
            }

            return new JavaScriptResult(output.ToString(), result, truncated);
        }
        catch (Exception ex) when (ex is not JavaScriptToolException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Explain(ex);
        }
        finally
        {
            budget.End();
        }
    }

    private Exception Explain(Exception ex) => ex switch
    {
        ExecutionCanceledException or OperationCanceledException =>
            RanTooLong(ex),
        StatementsCountOverflowException =>
            new JavaScriptToolException(string.Create(CultureInfo.InvariantCulture, $"The script ran more than {_options.MaxStatements:N0} statements and was stopped."), ex),
        MemoryLimitExceededException when ex.Message.StartsWith("The array size", StringComparison.Ordinal) =>
            new JavaScriptToolException(string.Create(CultureInfo.InvariantCulture, $"The script made an array larger than the limit of {_options.MaxArraySize:N0} elements."), ex),
        MemoryLimitExceededException => MemoryLimitHit(ex),
        RecursionDepthOverflowException =>
            new JavaScriptToolException(string.Create(CultureInfo.InvariantCulture, $"The script recursed deeper than {_options.MaxRecursionDepth:N0} calls."), ex),
        RegexMatchTimeoutException =>
            new JavaScriptToolException($"A regular expression ran longer than {DescribeDuration(_options.RegexTimeout)} and was stopped; avoid nested quantifiers such as (a+)+.", ex),
        // After the regex arm: RegexMatchTimeoutException is a TimeoutException too.
        TimeoutException =>
            RanTooLong(ex),
        InsufficientExecutionStackException =>
            new JavaScriptToolException("The script nests too deeply to run.", ex),
        PromiseRejectedException rejected =>
            new JavaScriptToolException($"The script's promise was rejected: {rejected.RejectedValue}.", ex),
        Jint.Runtime.JavaScriptException js => ExplainScriptError(js),
        _ => ex,
    };

    private JavaScriptToolException RanTooLong(Exception ex) =>
        new($"The script ran longer than {DescribeDuration(_options.Timeout)} and was stopped.", ex);

    private JavaScriptToolException MemoryLimitHit(Exception? ex) =>
        new($"The script exceeded the memory limit of {DescribeBytes(_options.MemoryLimit)}.", ex);

    private static JavaScriptToolException ExplainScriptError(Jint.Runtime.JavaScriptException ex)
    {
        var location = ex.Location.Start;
        var where = string.Create(CultureInfo.InvariantCulture, $"line {location.Line}, column {location.Column + 1}");
        var error = ex.Error;
        var name = error.IsObject() ? error.AsObject().Get("name") : JsValue.Undefined;
        var message = LocationSuffix().Replace(ex.Message, "");
        if (name.IsString() && name.AsString() == "SyntaxError")
        {
            return new JavaScriptToolException($"The script has a syntax error at {where}: {message}.", ex);
        }

        var kind = name.IsString() ? name.AsString() + ": " : "";
        return new JavaScriptToolException($"The script threw {kind}{message} at {where}.", ex);
    }

    private string TruncationMarker() =>
        string.Create(CultureInfo.InvariantCulture, $"\n[output truncated at {_options.MaxOutputLength:N0} characters]");

    private static string DescribeDuration(TimeSpan duration) =>
        duration.TotalMilliseconds % 1000 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms");

    private static string DescribeBytes(long bytes) =>
        bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):N0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string ReadPrelude()
    {
        using var stream = typeof(JavaScriptTool).Assembly.GetManifestResourceStream("Agents.Tools.JavaScript.SandboxPrelude.js")
            ?? throw new InvalidOperationException("The JavaScript sandbox prelude is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Jint appends " (source:line:column)" to parser messages; the sentence names the place itself.</summary>
    [GeneratedRegex(@"\s*\([^()]*:\d+:\d+\)$")]
    private static partial Regex LocationSuffix();
}
