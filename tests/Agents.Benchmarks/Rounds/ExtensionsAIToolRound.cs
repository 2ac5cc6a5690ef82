using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Agents.Benchmarks.Rounds;

/// <summary>Microsoft.Extensions.AI's tool loop: <c>UseFunctionInvocation()</c> over the OpenAI <see cref="IChatClient"/>.</summary>
internal sealed class ExtensionsAIToolRound : ToolRound
{
    private readonly IChatClient _client;
    private readonly ChatOptions _options = new() { Tools = [AIFunctionFactory.Create(ToolRoundScript.Add, "add")] };

    public ExtensionsAIToolRound()
        : base("add")
    {
        var openAI = new OpenAI.Chat.ChatClient(
            ToolRoundScript.ModelId,
            new ApiKeyCredential(ToolRoundScript.ApiKey),
            new OpenAIClientOptions { Endpoint = ToolRoundScript.Endpoint, Transport = new HttpClientPipelineTransport(Http) });
        _client = new ChatClientBuilder(openAI.AsIChatClient()).UseFunctionInvocation().Build();
    }

    public override string Name => "M.E.AI";

    public override async Task<string?> RunAsync(CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [new(ChatRole.System, ToolRoundScript.Instructions), new(ChatRole.User, ToolRoundScript.Question)];
        var response = await _client.GetResponseAsync(messages, _options, cancellationToken).ConfigureAwait(false);
        return response.Text;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client.Dispose();
        }

        base.Dispose(disposing);
    }
}
