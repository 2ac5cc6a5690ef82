using Agents.Tools.JavaScript;

namespace Agents.Tools.Tests.JavaScript;

/// <summary>What a hostile script tries in order to reach .NET or the host process: it must find plain JavaScript only.</summary>
public sealed class JavaScriptSandboxEscapeTests
{
    private static readonly JavaScriptTool Tool = new();

    [Theory]
    [InlineData("System")]
    [InlineData("importNamespace")]
    [InlineData("require")]
    [InlineData("process")]
    [InlineData("clrHelper")]
    [InlineData("host")]
    [InlineData("Packages")]
    [InlineData("module")]
    [InlineData("setTimeout")]
    [InlineData("fetch")]
    [InlineData("XMLHttpRequest")]
    public async Task Host_names_do_not_exist(string name)
    {
        var code = $"[typeof {name}, typeof globalThis.{name}, eval('typeof {name}'), Function('return typeof {name}')(), '{name}' in globalThis].join()";

        Assert.Equal("undefined,undefined,undefined,undefined,false", await Tool.RunJavaScriptAsync(code));
        var error = await Assert.ThrowsAsync<JavaScriptToolException>(() => Tool.ExecuteAsync(name + ".toString()"));
        Assert.Equal($"The script threw ReferenceError: {name} is not defined at line 1, column 1.", error.Message);
    }

    [Theory]
    [InlineData("globalThis.constructor.constructor('return this')() === globalThis")]
    [InlineData("Function('return this')() === globalThis")]
    [InlineData("(0, eval)('this') === globalThis")]
    [InlineData("console.log.constructor('return this')() === globalThis")]
    [InlineData("Object.getPrototypeOf(console.log) === Function.prototype")]
    [InlineData("Object.getPrototypeOf(console) === Object.prototype")]
    [InlineData("Object.getPrototypeOf(Object.getPrototypeOf(globalThis)) === null")]
    [InlineData("[].constructor.constructor === Function")]
    public async Task Constructor_and_prototype_walks_lead_back_to_plain_javascript(string code)
    {
        Assert.Equal("true", await Tool.RunJavaScriptAsync(code));
    }

    [Fact]
    public async Task The_global_object_holds_only_standard_builtins_and_console()
    {
        var names = (await Tool.RunJavaScriptAsync("Object.getOwnPropertyNames(globalThis).sort().join(' ')")).Split(' ');

        Assert.Empty(names.Except(StandardGlobals));
        Assert.Equal(["debug", "error", "info", "log", "warn"], (await Tool.RunJavaScriptAsync("Object.getOwnPropertyNames(console).sort().join(' ')")).Split(' '));
    }

    [Fact]
    public async Task Console_functions_reveal_no_host_function()
    {
        // The host callback lives in the prelude's closure; walking the console finds only script functions.
        var text = await Tool.RunJavaScriptAsync(
            "Object.values(console).map(f => [f.name, Object.getOwnPropertyNames(f).sort().join('+'), String(f).includes('native code')]).join(';')");

        Assert.DoesNotContain("true", text);
        Assert.DoesNotContain("write", text);
    }

    [Theory]
    [InlineData("Object.getPrototypeOf(1).constructor.constructor('return typeof System')()")]
    [InlineData("(function () { return this; })().constructor.constructor('return typeof importNamespace')()")]
    [InlineData("eval('eval(\"typeof process\")')")]
    [InlineData("new Function('return typeof clrHelper')()")]
    [InlineData("Reflect.ownKeys(globalThis).filter(k => typeof k === 'string' && /clr|host|system|import|require|process/i.test(k)).length === 0 ? 'undefined' : 'found'")]
    public async Task Indirect_lookups_find_nothing(string code)
    {
        Assert.Equal("undefined", await Tool.RunJavaScriptAsync(code));
    }

    [Fact]
    public async Task A_script_cannot_change_the_next_call()
    {
        await Tool.RunJavaScriptAsync("Object.prototype.polluted = 1; Array.prototype.join = () => 'hijacked'; globalThis.leak = 42;");

        Assert.Equal("undefined,1,2,undefined", await Tool.RunJavaScriptAsync("[typeof leak, [1, 2].join(), String(({}).polluted)].join()"));
    }

    // Jint 4.18's globals; Generator and TypedArray are its own additions, plain intrinsic constructors.
    private static readonly string[] StandardGlobals =
    [
        "Generator", "TypedArray",
        "AggregateError", "Array", "ArrayBuffer", "AsyncDisposableStack", "AsyncIterator", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array",
        "Boolean", "DataView", "Date", "DisposableStack", "Error", "EvalError", "FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array",
        "Function", "Infinity", "Int16Array", "Int32Array", "Int8Array", "Intl", "Iterator", "JSON", "Map", "Math", "NaN", "Number", "Object",
        "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "ShadowRealm", "SharedArrayBuffer", "String",
        "SuppressedError", "Symbol", "SyntaxError", "Temporal", "TypeError", "URIError", "Uint16Array", "Uint32Array", "Uint8Array",
        "Uint8ClampedArray", "WeakMap", "WeakRef", "WeakSet", "console", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent",
        "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "toString", "undefined", "unescape",
    ];
}
