using Agents.Onnx.Embeddings;
using Agents.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Agents.Onnx.Tests.Embeddings;

public sealed class EmbeddingModelBindingTests
{
    [Fact]
    public void TheTinyModelFeedsAllThreeInputsAndPoolsTheHiddenState()
    {
        using var session = new InferenceSession(Path.Combine(TinyBert.Path, "model.onnx"));

        var binding = EmbeddingModelBinding.Bind(session, "model.onnx");

        Assert.Equal(new EmbeddingModelBinding("input_ids", "attention_mask", "token_type_ids", "last_hidden_state", OutputIsPooled: false, Dimensions: 32), binding);
    }

    [Fact]
    public void APooledModelWithoutTokenTypesIsUsedAsIs()
    {
        using var session = new InferenceSession(Path.Combine(TinyBert.PooledPath, "model.onnx"));

        var binding = EmbeddingModelBinding.Bind(session, "model.onnx");

        Assert.Equal(new EmbeddingModelBinding("input_ids", "attention_mask", null, "sentence_embedding", OutputIsPooled: true, Dimensions: 32), binding);
    }

    [Fact]
    public async Task APooledModelGivesTheReferenceEmbeddings()
    {
        using var generator = new OnnxEmbeddingGenerator(TinyBert.PooledPath, new OnnxEmbeddingGeneratorOptions { BatchSize = 4 });

        var embeddings = await generator.GenerateAsync(TinyBert.Golden.Sentences.Select(s => s.Text));

        for (var i = 0; i < embeddings.Count; i++)
        {
            OnnxEmbeddingGeneratorTests.AssertClose(TinyBert.Golden.Sentences[i].Mean, embeddings[i].Vector.Span);
        }
    }

    [Fact]
    public void InputsNoTextEmbedderTakesAreNamed()
    {
        var model = Path.Combine(TinyBert.OddInputsPath, "model.onnx");

        var error = Assert.Throws<InvalidDataException>(() => new OnnxEmbeddingGenerator(TinyBert.OddInputsPath));

        Assert.Equal($"'{model}' takes the inputs 'pixel_values'; a text embedding model takes input_ids, attention_mask and optionally token_type_ids.", error.Message);
    }

    [Fact]
    public void ADamagedModelFileIsNamedInOneSentence()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        var model = Path.Combine(path, "model.onnx");
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 3)]);

        var error = Assert.Throws<InvalidDataException>(() => new OnnxEmbeddingGenerator(path));

        Assert.StartsWith($"'{model}' could not be loaded as an ONNX model; the file is damaged or incomplete", error.Message, StringComparison.Ordinal);
        Assert.IsType<OnnxRuntimeException>(error.InnerException);
    }
}
