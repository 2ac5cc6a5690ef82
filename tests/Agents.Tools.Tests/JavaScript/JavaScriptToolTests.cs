using System.Diagnostics;
using Agents.Tools.JavaScript;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Tests.JavaScript;

public sealed class JavaScriptToolTests
{
    private static readonly JavaScriptTool Tool = new();

    [Theory]
    [InlineData("1 + 1", "2")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("'abc'.toUpperCase()", "ABC")]
    [InlineData("({ a: 1, b: [1, 'two', null], c: { d: true } })", """{"a":1,"b":[1,"two",null],"c":{"d":true}}""")]
    [InlineData("[1, [2, 3], null, undefined].toString()", "1,2,3,,")]
    [InlineData("Promise.resolve(6).then(x => x * 7)", "42")]
    public async Task Returns_the_value_of_the_last_expression(string code, string expected)
    {
        Assert.Equal(expected, await Tool.RunJavaScriptAsync(code));
    }

    [Fact]
    public async Task Returns_console_output_and_the_last_value()
    {
        var text = await Tool.RunJavaScriptAsync("console.log('hello', { n: 1 }); console.error('oops'); 6 * 7");

        Assert.Equal("hello {\"n\":1}\noops\n=> 42", text);
    }

    [Fact]
    public async Task Says_so_when_there_is_nothing_to_show()
    {
        var result = await Tool.ExecuteAsync("let x = 1;");

        Assert.Equal(("", null, false), (result.Output, result.Result, result.Truncated));
        Assert.Contains("printed nothing", await Tool.RunJavaScriptAsync("let x = 1;"));
    }

    [Fact]
    public async Task Json_stringify_keeps_its_standard_behaviour()
    {
        const string code = """
            JSON.stringify({ a: [1, { b: 2 }], s: 'q"\n', u: undefined, f: () => 1, d: new Date(0), n: NaN, w: new Number(3),
              t: { toJSON(key) { return 'key:' + key; } } }, null, 2) + '|' +
            JSON.stringify({ a: 1, b: 2, c: 3 }, ['c', 'a']) + '|' +
            JSON.stringify({ a: 1, b: 'x' }, (k, v) => typeof v === 'number' ? v * 10 : v) + '|' +
            JSON.stringify([undefined, () => 1]) + '|' + JSON.stringify(undefined) + '|' + JSON.stringify('x') + '|' +
            (() => { try { const o = {}; o.self = o; JSON.stringify(o); } catch (e) { return e.name; } })()
            """;

        var text = await Tool.RunJavaScriptAsync(code);

        Assert.Equal(
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": 2\n    }\n  ],\n  \"s\": \"q\\\"\\n\",\n  \"d\": \"1970-01-01T00:00:00.000Z\",\n  \"n\": null,\n  \"w\": 3,\n  \"t\": \"key:t\"\n}" +
            "|{\"c\":3,\"a\":1}|{\"a\":10,\"b\":\"x\"}|[null,null]|undefined|\"x\"|TypeError",
            text);
    }

    [Fact]
    public async Task Cuts_long_output_with_a_marker()
    {
        var tool = new JavaScriptTool(new JavaScriptToolOptions { MaxOutputLength = 100 });

        var result = await tool.ExecuteAsync("for (let i = 0; i < 1000; i++) console.log('line ' + i); 'x'.repeat(500)");
        var text = await tool.RunJavaScriptAsync("for (let i = 0; i < 1000; i++) console.log('line ' + i)");

        Assert.True(result.Truncated);
        Assert.Equal(100, result.Output.Length + (result.Result?.Length ?? 0));
        Assert.StartsWith("line 0\nline 1\n", text);
        Assert.EndsWith("\n[output truncated at 100 characters]", text);
    }

    [Fact]
    public async Task Refuses_source_over_the_size_limit()
    {
        var code = "1;" + new string(' ', 999_998);

        var error = await Assert.ThrowsAsync<JavaScriptToolException>(() => Tool.ExecuteAsync(code));

        Assert.Equal("The script is 1,000,000 characters; the limit is 100,000.", error.Message);
        Assert.Equal("2", await Tool.RunJavaScriptAsync("1 + 1"));
    }

    [Theory]
    [InlineData("var x = ;", "The script has a syntax error at line 1, column 9: Unexpected token ';'.")]
    [InlineData("1 +\n  (a b)", "The script has a syntax error at line 2, column 6: Unexpected identifier 'b'.")]
    [InlineData("\n\n  foo.bar", "The script threw ReferenceError: foo is not defined at line 3, column 3.")]
    [InlineData("throw new Error('boom')", "The script threw Error: boom at line 1, column 7.")]
    public async Task Reports_script_errors_with_their_place(string code, string expected)
    {
        var error = await Assert.ThrowsAsync<JavaScriptToolException>(() => Tool.ExecuteAsync(code));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("while (true) {}", "The script ran longer than 2 s and was stopped.")]
    [InlineData("var a = []; for (;;) { a.push(1); }", "The script made an array larger than the limit of 1,000,000 elements.", true)]
    [InlineData("var a = []; while (true) { a.push('x'.repeat(1e6)); }", "The script exceeded the memory limit of 64 MB.", true)]
    [InlineData("function f() { f(); } f();", "The script recursed deeper than 256 calls.")]
    [InlineData("/(a+)+$/.test('a'.repeat(40) + '!')", "A regular expression ran longer than 500 ms and was stopped")]
    [InlineData("'x'.repeat(2 ** 30)", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("'x'.repeat(2 ** 28)", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("new Array(1e9).fill(0)", "The script made an array larger than the limit of 1,000,000 elements.")]
    [InlineData("var o = {}; for (var i = 0; i < 1e7; i++) o['k' + i] = i; JSON.stringify(o)", "The script exceeded the memory limit of 64 MB.", true)]
    [InlineData("Array.from({ length: 1e8 })", "The script made an array larger than the limit of 1,000,000 elements.")]
    // A small object that refers to one large string many times: natively a 500 MB string in one call.
    [InlineData("var s = 'x'.repeat(1e6); var a = []; for (var i = 0; i < 500; i++) a.push(s); JSON.stringify(a).length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("Array(1e5).fill('x'.repeat(1e5)).join('').length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("String(Array(1e5).fill('x'.repeat(1e5))).length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("'x'.repeat(1e6).replaceAll('x', 'y'.repeat(1000)).length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("'x'.repeat(1e4).replaceAll('x', () => 'y'.repeat(1e5)).length", "The script exceeded the memory limit of 64 MB.", true)]
    [InlineData("''.concat(...Array(1000).fill('x'.repeat(1e6))).length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("'a'.padEnd(1e9).length", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("var s = 'x'; while (true) { s = s + s; }", "The script exceeded the memory limit of 64 MB.")]
    [InlineData("eval('('.repeat(1e5) + '1' + ')'.repeat(1e5))", "The script nests too deeply to run.")]
    [InlineData("function f() { try { f(); } catch (e) { f(); } } f();", "The script recursed deeper than 256 calls.")]
    [InlineData("(async () => { while (true) { await 1; } })(); 1", "The script exceeded the memory limit of 64 MB.", true)]
    public async Task Stops_a_runaway_script_within_its_limit_and_stays_healthy(string code, string expected, bool mayTimeOutFirst = false)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<JavaScriptToolException>(() => Tool.ExecuteAsync(code));
        clock.Stop();

        // On a loaded machine the clock can run out before a loop fills the memory or array budget.
        if (!(mayTimeOutFirst && error.Message == "The script ran longer than 2 s and was stopped."))
        {
            Assert.StartsWith(expected, error.Message);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2 + 3), $"stopped after {clock.Elapsed}");
        Assert.Equal("2", await Tool.RunJavaScriptAsync("1 + 1"));
    }

    [Fact]
    public async Task A_tighter_timeout_stops_a_loop_sooner()
    {
        var tool = new JavaScriptTool(new JavaScriptToolOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<JavaScriptToolException>(() => tool.ExecuteAsync("for (;;) {}"));

        Assert.Equal("The script ran longer than 200 ms and was stopped.", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"stopped after {clock.Elapsed}");
    }

    [Fact]
    public async Task The_callers_cancellation_cancels_rather_than_reporting_a_timeout()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Tool.ExecuteAsync("while (true) {}", cancel.Token));
        Assert.Equal("2", await Tool.RunJavaScriptAsync("1 + 1"));
    }

    [Fact]
    public async Task Is_a_kernel_function_named_run_javascript_that_states_its_limits()
    {
        var function = JavaScriptTool.CreateFunction();

        Assert.Equal("run_javascript", function.Name);
        Assert.Contains("2 s of run time", function.Description);
        Assert.Contains("64 MB of memory", function.Description);
        Assert.Contains("\"code\"", function.JsonSchema.GetRawText());
        var result = await function.InvokeAsync(new Kernel(), new KernelArguments { ["code"] = "[1, 2, 3].map(x => x * 2)" });
        Assert.Equal("[2,4,6]", result.GetValue<string>());
    }
}
