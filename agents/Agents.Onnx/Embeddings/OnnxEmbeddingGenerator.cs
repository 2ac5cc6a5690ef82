using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Agents.Onnx.Embeddings;

/// <summary>
/// Sentence embeddings from a local BERT-family ONNX model (all-MiniLM-L6-v2, bge-small, e5-small, …) in the folder
/// layout Hugging Face and sentence-transformers exports use: WordPiece tokenization (Microsoft.ML.Tokenizers' BERT
/// tokenizer behind <see cref="BertTextNormalizer"/>, which splits text into words exactly as Hugging Face does, with
/// lower-casing and accent stripping as tokenizer_config.json says), truncation to the model's limit, batches padded to
/// their longest text, pooling with the attention mask, L2 normalisation.
/// </summary>
/// <remarks>
/// The generator owns one <see cref="InferenceSession"/>, loaded once in the constructor: keep the generator and reuse
/// it. It is safe to call from several threads at once: the tokenizer is read-only and
/// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, each call using its own buffers and <see cref="RunOptions"/>. Dispose it once no call is running;
/// that frees the native session at once.
/// </remarks>
public sealed partial class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly EmbeddingModelBinding _binding;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly string[] _outputNames;
    private readonly int _batchSize;
    private readonly int _maxTokens;
    private readonly OnnxEmbeddingPooling _pooling;
    private readonly bool _normalize;
    private readonly int _dimensions;
    private readonly string _modelId;
    private int _disposed;

    /// <param name="modelPath">The model folder (model.onnx or onnx/model.onnx, vocab.txt, and the optional JSON configurations).</param>
    /// <param name="logger">Receives the one sentence <see cref="OnnxDevice.Auto"/> writes when it falls back to the CPU.</param>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">The folder lacks model.onnx or vocab.txt.</exception>
    /// <exception cref="InvalidDataException">The model file is damaged, or its inputs and outputs are not a text embedder's, or a configuration file is malformed.</exception>
    /// <exception cref="NotSupportedException"><see cref="OnnxDevice.Cuda"/> on a build of ONNX Runtime without CUDA.</exception>
    public OnnxEmbeddingGenerator(string modelPath, OnnxEmbeddingGeneratorOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        options ??= new OnnxEmbeddingGeneratorOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads, nameof(options.IntraOpThreads));
        if (options.MaxTokens is { } requested)
        {
            // [CLS] and [SEP] take two of them.
            ArgumentOutOfRangeException.ThrowIfLessThan(requested, 3, nameof(options.MaxTokens));
        }

        var folder = BertModelFolder.Read(modelPath);
        _tokenizer = BertTokenizer.Create(folder.VocabFile, new BertOptions
        {
            Normalizer = new BertTextNormalizer(folder.LowerCase, folder.StripAccents, folder.TokenizeCjk),
            PreTokenizer = PreTokenizer.CreateWhiteSpace(),
            SplitOnSpecialTokens = false,
        });

        OnnxTelemetry.Apply(options.EnableTelemetry);
        using var sessionOptions = CreateSessionOptions(options, logger ?? NullLogger.Instance);
        _session = LoadSession(folder.ModelFile, sessionOptions);
        try
        {
            _binding = EmbeddingModelBinding.Bind(_session, folder.ModelFile);
            _dimensions = _binding.Dimensions ?? folder.HiddenSize
                ?? throw new InvalidDataException($"'{folder.ModelFile}' does not state its vector size and config.json gives no hidden_size; add config.json from the model's repository.");
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _outputNames = [_binding.Output];
        _batchSize = options.BatchSize;
        _maxTokens = Math.Min(options.MaxTokens ?? folder.MaxTokens, folder.MaxTokens);
        _pooling = options.Pooling ?? folder.Pooling ?? OnnxEmbeddingPooling.Mean;
        _normalize = options.Normalize;
        _modelId = options.ModelId ?? Path.GetFileName(folder.Directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        _metadata = new EmbeddingGeneratorMetadata("onnx", new Uri(folder.Directory), _modelId, _dimensions);
    }

    /// <summary>Tokens per text after truncation, [CLS] and [SEP] included.</summary>
    public int MaxTokens => _maxTokens;

    /// <summary>The length of every vector (the model's hidden size).</summary>
    public int Dimensions => _dimensions;

    /// <summary>The token ids the model is given for <paramref name="text"/>: [CLS], the WordPiece ids cut to <see cref="MaxTokens"/>, [SEP].</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var kept = Math.Min(ids.Count, _maxTokens - 2);
        var tokens = new int[kept + 2];
        tokens[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            tokens[i + 1] = ids[i];
        }

        tokens[^1] = _tokenizer.SeparatorTokenId;
        return tokens;
    }

    /// <summary>
    /// Embeds each text, in order. The work runs on the calling thread; cancellation is checked before each batch and
    /// also stops a model run under way.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another size than the model makes.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is { } dimensions && dimensions != _dimensions)
        {
            throw new ArgumentException($"'{_modelId}' makes {_dimensions}-dimension vectors; it cannot make {dimensions}.", nameof(options));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var tokens = new IReadOnlyList<int>[texts.Count];
        long tokenCount = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            tokens[i] = Tokenize(texts[i] ?? throw new ArgumentNullException(nameof(values), "A text to embed is null."));
            tokenCount += tokens[i].Count;
        }

        var vectors = Embed(tokens, cancellationToken);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        var created = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = _modelId, CreatedAt = created });
        }

        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(InferenceSession) ? _session
            : serviceType == typeof(Tokenizer) || serviceType == typeof(BertTokenizer) ? _tokenizer
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }

    /// <summary>Runs the model over <paramref name="tokens"/> in batches of similar length; vectors come back in input order.</summary>
    private float[][] Embed(IReadOnlyList<int>[] tokens, CancellationToken cancellationToken)
    {
        var vectors = new float[tokens.Length][];

        // Sorted by length, a batch's texts pad to nearly the same size. OrderBy is stable, so equal lengths keep their order.
        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Count).ToArray();
        using var runOptions = new RunOptions();
        using var stop = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        for (var start = 0; start < order.Length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_batchSize, order.Length - start);
            if (_binding.AttentionMask is null)
            {
                // Without a mask the model would attend to padding: a batch takes only texts of one length.
                count = CountOfLength(tokens, order.AsSpan(start, count), tokens[order[start]].Count);
            }

            RunBatch(tokens, order.AsSpan(start, count), vectors, runOptions, cancellationToken);
            start += count;
        }

        return vectors;
    }

    private static int CountOfLength(IReadOnlyList<int>[] tokens, ReadOnlySpan<int> batch, int length)
    {
        var count = 0;
        while (count < batch.Length && tokens[batch[count]].Count == length)
        {
            count++;
        }

        return count;
    }

    private void RunBatch(IReadOnlyList<int>[] tokens, ReadOnlySpan<int> batch, float[][] vectors, RunOptions runOptions, CancellationToken cancellationToken)
    {
        var sequence = 0;
        foreach (var index in batch)
        {
            sequence = Math.Max(sequence, tokens[index].Count);
        }

        // Padding is [PAD] with mask 0 at the end of each row, as the Hugging Face tokenizers pad.
        var ids = new long[batch.Length * sequence];
        var mask = new long[batch.Length * sequence];
        Array.Fill(ids, _tokenizer.PaddingTokenId);
        for (var row = 0; row < batch.Length; row++)
        {
            var text = tokens[batch[row]];
            for (var t = 0; t < text.Count; t++)
            {
                ids[(row * sequence) + t] = text[t];
                mask[(row * sequence) + t] = 1;
            }
        }

        long[] shape = [batch.Length, sequence];
        var names = new List<string>(3);
        var inputs = new List<OrtValue>(3);
        try
        {
            names.Add(_binding.InputIds);
            inputs.Add(OrtValue.CreateTensorValueFromMemory(ids, shape));
            if (_binding.AttentionMask is { } maskName)
            {
                names.Add(maskName);
                inputs.Add(OrtValue.CreateTensorValueFromMemory(mask, shape));
            }

            if (_binding.TokenTypeIds is { } typeName)
            {
                // One sentence per row: every token is segment 0.
                names.Add(typeName);
                inputs.Add(OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape));
            }

            using var outputs = Run(names, inputs, runOptions, cancellationToken);
            var output = outputs[0];
            var outputShape = output.GetTensorTypeAndShape().Shape;
            var data = output.GetTensorDataAsSpan<float>();
            CheckShape(outputShape, batch.Length, sequence);
            for (var row = 0; row < batch.Length; row++)
            {
                vectors[batch[row]] = _binding.OutputIsPooled
                    ? data.Slice(row * _dimensions, _dimensions).ToArray()
                    : Pool(data.Slice(row * sequence * _dimensions, sequence * _dimensions), tokens[batch[row]].Count);
                if (_normalize)
                {
                    Normalize(vectors[batch[row]]);
                }
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(List<string> names, List<OrtValue> inputs, RunOptions runOptions, CancellationToken cancellationToken)
    {
        try
        {
            return _session.Run(runOptions, names, inputs, _outputNames);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            // RunOptions.Terminate, set by the token, ends the run with an error of its own.
            throw new OperationCanceledException("Embedding was cancelled.", ex, cancellationToken);
        }
    }

    private void CheckShape(long[] shape, int batch, int sequence)
    {
        long[] expected = _binding.OutputIsPooled ? [batch, _dimensions] : [batch, sequence, _dimensions];
        if (!shape.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidDataException($"'{_modelId}' returned '{_binding.Output}' with shape [{string.Join(", ", shape)}] where [{string.Join(", ", expected)}] was expected.");
        }
    }

    /// <summary>One text's sentence vector from its rows of token vectors; rows past <paramref name="length"/> are padding.</summary>
    private float[] Pool(ReadOnlySpan<float> tokenVectors, int length)
    {
        var vector = new float[_dimensions];
        if (_pooling == OnnxEmbeddingPooling.Cls)
        {
            tokenVectors[.._dimensions].CopyTo(vector);
            return vector;
        }

        for (var t = 0; t < length; t++)
        {
            TensorPrimitives.Add(vector, tokenVectors.Slice(t * _dimensions, _dimensions), vector);
        }

        TensorPrimitives.Divide(vector, length, vector);
        return vector;
    }

    private static void Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    private static InferenceSession LoadSession(string modelFile, SessionOptions sessionOptions)
    {
        try
        {
            return new InferenceSession(modelFile, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"'{modelFile}' could not be loaded as an ONNX model; the file is damaged or incomplete, so download it again ({ex.Message}).", ex);
        }
    }

    private static SessionOptions CreateSessionOptions(OnnxEmbeddingGeneratorOptions options, ILogger logger)
    {
        // Errors only: ONNX Runtime writes its warnings (unused initializers and the like) straight to stderr, where the
        // console's output and one-sentence errors go.
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            if (options.Device != OnnxDevice.Cpu)
            {
                UseCuda(sessionOptions, options, logger);
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static void UseCuda(SessionOptions sessionOptions, OnnxEmbeddingGeneratorOptions options, ILogger logger)
    {
        string reason;
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
        {
            reason = "this build of ONNX Runtime has no CUDA execution provider (reference Microsoft.ML.OnnxRuntime.Gpu instead of Microsoft.ML.OnnxRuntime)";
        }
        else
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                return;
            }
            catch (OnnxRuntimeException ex)
            {
                reason = $"CUDA could not be started ({ex.Message})";
            }
        }

        if (options.Device == OnnxDevice.Cuda)
        {
            throw new NotSupportedException($"The embedding model cannot run on CUDA: {reason}; or choose OnnxDevice.Cpu or OnnxDevice.Auto.");
        }

        LogCpuFallback(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding on the CPU: {Reason}.")]
    private static partial void LogCpuFallback(ILogger logger, string reason);
}
