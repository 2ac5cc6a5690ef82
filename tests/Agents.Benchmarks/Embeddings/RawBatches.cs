using System.Numerics.Tensors;
using Agents.Onnx.Embeddings;
using Microsoft.ML.OnnxRuntime;

namespace Agents.Benchmarks.Embeddings;

/// <summary>
/// The embedding benchmark's floor: the generator's batches (texts sorted by token count, as it sorts them) as ready
/// input tensors, so that timing <see cref="RunAll"/> times the model runs alone.
/// </summary>
internal sealed class RawBatches : IDisposable
{
    private readonly InferenceSession _session;
    private readonly List<(int[] Indexes, int Sequence, string[] Names, OrtValue[] Inputs)> _batches = [];
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    private RawBatches(InferenceSession session)
    {
        _session = session;
        _outputNames = [session.OutputNames[0]];
    }

    public double MeanTokens { get; private set; }

    public static RawBatches Build(OnnxEmbeddingGenerator generator, InferenceSession session, string[] texts, int batchSize)
    {
        var raw = new RawBatches(session);
        var tokens = texts.Select(generator.Tokenize).ToArray();
        raw.MeanTokens = tokens.Average(t => t.Count);
        foreach (var chunk in Enumerable.Range(0, texts.Length).OrderBy(i => tokens[i].Count).Chunk(batchSize))
        {
            var sequence = chunk.Max(i => tokens[i].Count);
            var ids = new long[chunk.Length * sequence];
            var mask = new long[chunk.Length * sequence];
            for (var row = 0; row < chunk.Length; row++)
            {
                for (var t = 0; t < tokens[chunk[row]].Count; t++)
                {
                    ids[(row * sequence) + t] = tokens[chunk[row]][t];
                    mask[(row * sequence) + t] = 1;
                }
            }

            long[] shape = [chunk.Length, sequence];
            var names = session.InputNames.ToArray();
            var inputs = names.Select(name => OrtValue.CreateTensorValueFromMemory(name switch
            {
                "input_ids" => ids,
                "attention_mask" => mask,
                _ => new long[ids.Length],
            }, shape)).ToArray();
            raw._batches.Add((chunk, sequence, names, inputs));
        }

        return raw;
    }

    /// <summary>Runs every batch once; returns the number of output floats, so the work cannot be skipped.</summary>
    public long RunAll()
    {
        long floats = 0;
        foreach (var (_, _, names, inputs) in _batches)
        {
            using var outputs = _session.Run(_runOptions, names, inputs, _outputNames);
            floats += outputs[0].GetTensorDataAsSpan<float>().Length;
        }

        return floats;
    }

    /// <summary>The first text of each batch, mean-pooled over its real tokens and normalised: what the generator must return for it.</summary>
    public List<(int Index, float[] Vector)> MeanPooledFirstOfEachBatch()
    {
        var vectors = new List<(int Index, float[] Vector)>();
        foreach (var (indexes, sequence, names, inputs) in _batches)
        {
            using var outputs = _session.Run(_runOptions, names, inputs, _outputNames);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var dimensions = hidden.Length / (indexes.Length * sequence);
            var mask = inputs[Array.IndexOf(names, "attention_mask")].GetTensorDataAsSpan<long>();
            var vector = new float[dimensions];
            for (var t = 0; t < sequence && mask[t] == 1; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(t * dimensions, dimensions), vector);
            }

            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            vectors.Add((indexes[0], vector));
        }

        return vectors;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        foreach (var (_, _, _, inputs) in _batches)
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }
}
