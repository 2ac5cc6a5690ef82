using System.Diagnostics;
using System.Globalization;
using Agents.Memory;
using Agents.Onnx.Chat;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Agents.Benchmarks.LocalChat;

/// <summary>
/// The <c>--local-chat</c> mode, each goal measured against a baseline in the same run on the same model:
/// streaming tokens per second through <see cref="OnnxChatClient"/> against a bare GenAI <see cref="Generator"/> loop
/// (the same prompt encoded, a new generator, greedy search, each token decoded as the client does), and time to first token for a
/// turn after about 2,000 tokens of history with the key-value cache kept against a cold prefill of the same prompt.
/// Rounds alternate between the two sides so drift on a shared machine hits both; each reports its median.
/// </summary>
internal static class LocalChatBenchmark
{
    private const int Rounds = 9;
    private const int WarmUpRounds = 2;
    private const int HistoryTokens = 2_000;

    public static async Task<int> RunAsync(string modelPath, TextWriter output, CancellationToken cancellationToken)
    {
        // A pass-through template, so the raw loop and the client see exactly the same prompt tokens; no kept cache, so
        // both start each reply from a new generator and the client's every step, from template to last token, is timed.
        var options = new OnnxChatClientOptions { Device = Onnx.OnnxDevice.Cpu, ChatTemplate = "{% for m in messages %}{{ m.content }}{% endfor %}", ReuseKeyValueCache = false };
        using var client = new OnnxChatClient(modelPath, options);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Local chat, model {Path.GetFileName(Path.GetFullPath(modelPath))} (context {client.ContextWindow:N0}), CPU, {Environment.ProcessorCount} cores; median of {Rounds} rounds"));
        await StreamingRateAsync(client, output, cancellationToken);
        await TimeToFirstTokenAsync(modelPath, output, cancellationToken);
        return 0;
    }

    private static async Task StreamingRateAsync(OnnxChatClient client, TextWriter output, CancellationToken cancellationToken)
    {
        const string Prompt = "The quick brown fox jumps over the lazy dog. The weather today is sunny and warm.";
        var greedy = new ChatOptions { Temperature = 0, MaxOutputTokens = 256 };
        var model = client.GetService<Model>()!;
        using var tokenizer = new Tokenizer(model);

        var clientTimes = new List<double>();
        var rawTimes = new List<double>();
        int clientTokens = 0, rawTokens = 0;
        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            // Each side goes first in every other round: the one that runs second finds the weights in the CPU's caches.
            double clientSeconds = 0, rawSeconds = 0;
            for (var turn = 0; turn < 2; turn++)
            {
                var clock = Stopwatch.StartNew();
                if ((turn + round) % 2 == 0)
                {
                    ChatResponseUpdate? last = null;
                    await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Prompt)], greedy, cancellationToken))
                    {
                        last = update;
                    }

                    clientSeconds = clock.Elapsed.TotalSeconds;
                    clientTokens = ((int[])last!.RawRepresentation!).Length;
                }
                else
                {
                    rawTokens = RawLoop(model, tokenizer, Prompt, client.ContextWindow, greedy.MaxOutputTokens!.Value);
                    rawSeconds = clock.Elapsed.TotalSeconds;
                }
            }

            if (round >= WarmUpRounds)
            {
                clientTimes.Add(clientSeconds / clientTokens);
                rawTimes.Add(rawSeconds / rawTokens);
            }
        }

        if (clientTokens != rawTokens)
        {
            throw new InvalidOperationException($"The client wrote {clientTokens} tokens and the raw loop {rawTokens}: they are not doing the same work.");
        }

        var (clientRate, rawRate) = (1 / Medians.Of(clientTimes), 1 / Medians.Of(rawTimes));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"streaming: OnnxChatClient {clientRate:N0} tokens/s, raw Generator loop {rawRate:N0} tokens/s ({clientTokens} tokens a reply); overhead {(rawRate / clientRate - 1) * 100:0.0}% (goal < 5%)"));
    }

    private static int RawLoop(Model model, Tokenizer tokenizer, string prompt, int contextLength, int maxTokens)
    {
        using var encoded = tokenizer.Encode(prompt);
        var eos = tokenizer.GetEosTokenIds().ToArray();
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("max_length", contextLength);
        parameters.SetSearchOption("do_sample", false);
        using var generator = new Generator(model, parameters);
        using var stream = tokenizer.CreateStream();
        generator.AppendTokens(encoded[0]);
        var produced = 0;
        while (produced < maxTokens && !generator.IsDone())
        {
            var before = generator.TokenCount();
            generator.GenerateNextToken();
            if (generator.TokenCount() == before)
            {
                break;
            }

            var token = generator.GetNextTokens()[0];
            if (Array.IndexOf(eos, token) >= 0)
            {
                break;
            }

            stream.Decode(token);
            produced++;
        }

        return produced;
    }

    private static async Task TimeToFirstTokenAsync(string modelPath, TextWriter output, CancellationToken cancellationToken)
    {
        using var warm = new OnnxChatClient(modelPath, new OnnxChatClientOptions { Device = Onnx.OnnxDevice.Cpu });
        using var cold = new OnnxChatClient(modelPath, new OnnxChatClientOptions { Device = Onnx.OnnxDevice.Cpu, ReuseKeyValueCache = false });
        var history = History(warm.GetService<ITokenCounter>()!);
        var firstToken = new ChatOptions { Temperature = 0, MaxOutputTokens = 1 };
        var warmTimes = new List<double>();
        var coldTimes = new List<double>();
        var reused = 0;
        var promptTokens = 0L;
        for (var round = 0; round < WarmUpRounds + Rounds; round++)
        {
            // The earlier turn leaves its history in the warm client's cache, as a conversation does.
            await warm.GetResponseAsync(history, firstToken, cancellationToken);
            List<ChatMessage> next = [.. history, new(ChatRole.Assistant, "Noted."), new(ChatRole.User, $"Question {round}: what did the first message say?")];

            var clock = Stopwatch.StartNew();
            var warmReply = await warm.GetResponseAsync(next, firstToken, cancellationToken);
            var warmSeconds = clock.Elapsed.TotalSeconds;
            reused = warm.LastReusedTokenCount;
            clock.Restart();
            var coldReply = await cold.GetResponseAsync(next, firstToken, cancellationToken);
            var coldSeconds = clock.Elapsed.TotalSeconds;
            promptTokens = coldReply.Usage!.InputTokenCount!.Value;
            if (warmReply.Text != coldReply.Text)
            {
                throw new InvalidOperationException("The kept cache and the cold prefill disagree on the first token.");
            }

            if (round >= WarmUpRounds)
            {
                warmTimes.Add(warmSeconds);
                coldTimes.Add(coldSeconds);
            }
        }

        var (warmMedian, coldMedian) = (Medians.Of(warmTimes), Medians.Of(coldTimes));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"time to first token at {promptTokens:N0} prompt tokens: cold prefill {coldMedian * 1000:0.00} ms, kept cache {warmMedian * 1000:0.00} ms ({reused:N0} tokens reused); {coldMedian / warmMedian:0.0}× faster (goal ≥ 5×)"));
    }

    private static List<ChatMessage> History(ITokenCounter counter)
    {
        List<ChatMessage> history = [new(ChatRole.System, "You are a helpful assistant.")];
        var tokens = 0;
        for (var turn = 0; tokens < HistoryTokens; turn++)
        {
            var user = $"Turn {turn}: the weather in Paris is sunny and warm, what is the time there and what should I wear today?";
            var assistant = $"In turn {turn} the answer is that it is noon in Paris and a light jacket is enough for the weather today.";
            history.Add(new ChatMessage(ChatRole.User, user));
            history.Add(new ChatMessage(ChatRole.Assistant, assistant));
            tokens += counter.CountTokens(user) + counter.CountTokens(assistant) + 10;
        }

        history.Add(new ChatMessage(ChatRole.User, "Summarise the conversation."));
        return history;
    }
}
