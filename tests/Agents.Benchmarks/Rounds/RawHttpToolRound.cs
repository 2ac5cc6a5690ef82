using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Agents.Benchmarks.Rounds;

/// <summary>
/// The transport baseline: the round's two requests as prebuilt JSON through a bare
/// <see cref="HttpClient"/>, each reply parsed just enough to read the tool call and the answer.
/// What every framework pays at least; the rest of their cost is theirs.
/// </summary>
internal sealed class RawHttpToolRound : ToolRound
{
    private const string SystemMessage = $$"""{"role":"system","content":"{{ToolRoundScript.Instructions}}"}""";
    private const string UserMessage = $$"""{"role":"user","content":"{{ToolRoundScript.Question}}"}""";
    private const string Tools = """
        "tools":[{"type":"function","function":{"name":"add","description":"Adds two integers and returns the sum.","parameters":{"type":"object","properties":{"a":{"description":"The first addend.","type":"integer"},"b":{"description":"The second addend.","type":"integer"}},"required":["a","b"]}}}],"tool_choice":"auto"
        """;

    private static readonly byte[] FirstRequest = Encoding.UTF8.GetBytes($$"""
        {"messages":[{{SystemMessage}},{{UserMessage}}],"model":"{{ToolRoundScript.ModelId}}",{{Tools}}}
        """);

    private static readonly byte[] SecondRequest = Encoding.UTF8.GetBytes($$$"""
        {"messages":[{{{SystemMessage}}},{{{UserMessage}}},{"role":"assistant","content":null,"tool_calls":[{"id":"{{{ToolRoundScript.CallId}}}","type":"function","function":{"name":"add","arguments":"{\"a\":{{{ToolRoundScript.A}}},\"b\":{{{ToolRoundScript.B}}}}"}}]},{"role":"tool","tool_call_id":"{{{ToolRoundScript.CallId}}}","content":"{{{ToolRoundScript.ToolResult}}}"}],"model":"{{{ToolRoundScript.ModelId}}}",{{{Tools}}}}
        """);

    private static readonly Uri ChatCompletions = new(ToolRoundScript.Endpoint, "chat/completions");

    public RawHttpToolRound()
        : base("add")
    {
    }

    public override string Name => "raw HttpClient";

    public override async Task<string?> RunAsync(CancellationToken cancellationToken = default)
    {
        using (var first = await PostAsync(FirstRequest, cancellationToken).ConfigureAwait(false))
        {
            var call = first.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
            if (call.GetProperty("id").GetString() != ToolRoundScript.CallId)
            {
                throw new InvalidOperationException($"{Name}: the first reply did not ask for the scripted tool call.");
            }
        }

        using var second = await PostAsync(SecondRequest, cancellationToken).ConfigureAwait(false);
        return second.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
    }

    private async Task<JsonDocument> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletions) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ToolRoundScript.ApiKey);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
