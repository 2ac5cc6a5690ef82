using Agents.Onnx.Embeddings;
using Agents.Playground.Hosting;
using Microsoft.Extensions.AI;

namespace Agents.Playground.Tests.Hosting;

public sealed class EmbeddingFlagsTests
{
    private static readonly string s_model = Path.Combine(AppContext.BaseDirectory, "models", "tiny-bert");

    [Fact]
    public void OnnxPathBuildsTheLocalGeneratorNamedByItsFolder()
    {
        using var generator = new EmbeddingFlags(null, null, null).Create("onnx:" + s_model + Path.DirectorySeparatorChar, NoVariables);

        var onnx = Assert.IsType<OnnxEmbeddingGenerator>(generator);
        Assert.Equal("onnx:tiny-bert", onnx.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.Equal(32, onnx.Dimensions);
    }

    [Fact]
    public void TheVariableSaysWhereTheStoresLocalModelIs()
    {
        var flags = new EmbeddingFlags(null, null, null);
        var variable = "onnx:" + s_model;

        Assert.Equal(variable, flags.ResolveModel("onnx:tiny-bert", name => name == "AGENTS_EMBEDDING_MODEL" ? variable : null));
        Assert.Equal("onnx:tiny-bert", flags.ResolveModel("onnx:tiny-bert", name => name == "AGENTS_EMBEDDING_MODEL" ? "onnx:/models/other" : null));
        Assert.Equal("onnx:/flag/tiny-bert", new EmbeddingFlags("onnx:/flag/tiny-bert", null, null).ResolveModel("onnx:tiny-bert", name => variable));
    }

    [Fact]
    public void OnnxWithoutAPathIsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => new EmbeddingFlags(null, null, null).Create("onnx:", NoVariables));

        Assert.Equal("Embedding model 'onnx:' names no folder; use onnx:PATH with the folder of a sentence-embedding model (model.onnx and vocab.txt).", error.Message);
    }

    private static string? NoVariables(string name) => null;
}
