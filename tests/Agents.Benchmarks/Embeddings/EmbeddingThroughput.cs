using System.Diagnostics;
using System.Globalization;
using Agents.Onnx.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace Agents.Benchmarks.Embeddings;

/// <summary>
/// The <c>--embeddings</c> mode: sentences per second through <see cref="OnnxEmbeddingGenerator"/> at batch 1 and
/// batch 32, next to the floor measured in the same run: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// on the generator's own session over the same batches, tokenized, padded and turned into tensors before the clock
/// starts. The difference is what the generator adds: tokenization, tensors, pooling, normalisation.
/// Rounds alternate between the two so drift on a shared machine hits both; each reports its median round.
/// </summary>
internal static class EmbeddingThroughput
{
    private const int Sentences = 512;
    private const int WarmUpRounds = 3;
    private const int Rounds = 15;
    private static readonly int[] BatchSizes = [1, 32];

    public static async Task<int> RunAsync(string modelPath, TextWriter output, CancellationToken cancellationToken)
    {
        var texts = Corpus(Sentences);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Embeddings per second, model {Path.GetFileName(Path.GetFullPath(modelPath))}, {Sentences} sentences, CPU, {Environment.ProcessorCount} cores; median of {Rounds} rounds"));
        output.WriteLine($"{"batch",5}  {"generator s/s",13}  {"raw Run s/s",11}  {"generator / raw",15}  tokens (mean)");
        foreach (var batchSize in BatchSizes)
        {
            using var generator = new OnnxEmbeddingGenerator(modelPath, new OnnxEmbeddingGeneratorOptions { BatchSize = batchSize });
            var session = generator.GetService<InferenceSession>()!;
            var batches = RawBatches.Build(generator, session, texts, batchSize);
            try
            {
                // A generator whose vectors differ from the raw run's pooled output is never timed.
                await CheckAsync(generator, batches, texts, cancellationToken);
                var generatorTimes = new List<double>();
                var rawTimes = new List<double>();
                for (var round = 0; round < WarmUpRounds + Rounds; round++)
                {
                    var generated = await TimeAsync(() => generator.GenerateAsync(texts, cancellationToken: cancellationToken));
                    var raw = await TimeAsync(() => Task.FromResult(batches.RunAll()));
                    if (round >= WarmUpRounds)
                    {
                        generatorTimes.Add(generated);
                        rawTimes.Add(raw);
                    }
                }

                var (generatorRate, rawRate) = (Sentences / Medians.Of(generatorTimes), Sentences / Medians.Of(rawTimes));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batchSize,5}  {generatorRate,13:N0}  {rawRate,11:N0}  {generatorRate / rawRate,14:0.00}×  {batches.MeanTokens:0.0}"));
            }
            finally
            {
                batches.Dispose();
            }
        }

        return 0;
    }

    private static async Task CheckAsync(OnnxEmbeddingGenerator generator, RawBatches batches, string[] texts, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        var reference = batches.MeanPooledFirstOfEachBatch();
        foreach (var (index, vector) in reference)
        {
            var actual = embeddings[index].Vector.Span;
            for (var i = 0; i < vector.Length; i++)
            {
                if (Math.Abs(actual[i] - vector[i]) > 1e-4f)
                {
                    throw new InvalidOperationException($"Sentence {index}: the generator's vector differs from the raw run's at component {i} ({actual[i]} vs {vector[i]}).");
                }
            }
        }
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var clock = Stopwatch.StartNew();
        GC.KeepAlive(await action());
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Sentences of 3 to 40 words over a fixed vocabulary of common words, from a fixed seed.</summary>
    private static string[] Corpus(int count)
    {
        string[] words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "cats", "eat", "fish", "in", "the", "morning",
            "search", "documents", "for", "answers", "local", "model", "embeds", "every", "sentence", "into", "a", "vector", "today",
            "weather", "is", "good", "people", "read", "books", "at", "home", "and", "write", "new", "words", "Paris", "London", "2024"];
        var random = new Random(20240611);
        return [.. Enumerable.Range(0, count).Select(_ =>
            string.Join(' ', Enumerable.Range(0, random.Next(3, 41)).Select(_ => words[random.Next(words.Length)])) + ".")];
    }
}
