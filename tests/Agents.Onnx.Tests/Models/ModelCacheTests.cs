using Agents.Onnx.Models;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Onnx.Tests.Models;

public sealed class ModelCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lists_nested_model_folders_by_name_with_kind_type_and_size()
    {
        TinyModelFolders.GenAI(_folder.PathOf("acme/tiny-llama/cpu"));
        TinyModelFolders.Embedding(_folder.PathOf("acme/tiny-bert"));
        Directory.CreateDirectory(_folder.PathOf("empty/folder"));

        var models = ModelCache.List(_folder.Path);

        Assert.Equal(["acme/tiny-bert", "acme/tiny-llama/cpu"], models.Select(m => m.Name));
        Assert.Equal((ModelFolderKind.SentenceEmbedding, "bert"), (models[0].Kind, models[0].ModelType));
        Assert.Equal((ModelFolderKind.GenAI, "llama", (string?)null), (models[1].Kind, models[1].ModelType, models[1].Problem));
        Assert.Equal(ModelFolderInfo.Read(models[1].Path).SizeBytes, models[1].SizeBytes);
    }

    [Fact]
    public void Lists_unfinished_and_broken_folders_with_what_is_wrong()
    {
        var pulling = _folder.PathOf("acme/pulling");
        Directory.CreateDirectory(pulling);
        File.WriteAllBytes(Path.Combine(pulling, "model.onnx.partial"), new byte[100]);
        var broken = TinyModelFolders.GenAI(_folder.PathOf("acme/broken"));
        File.Move(Path.Combine(broken, "model.onnx"), Path.Combine(broken, "model.onnx.partial"));

        var models = ModelCache.List(_folder.Path);

        Assert.Equal(["acme/broken", "acme/pulling"], models.Select(m => m.Name));
        Assert.Equal((ModelFolderKind.GenAI, 1), (models[0].Kind!.Value, models[0].PartialFiles));
        Assert.EndsWith("is missing; the model folder is incomplete, so pull it again.", models[0].Problem);
        Assert.Equal(((ModelFolderKind?)null, 1, 100L), (models[1].Kind, models[1].PartialFiles, models[1].SizeBytes));
        Assert.Equal("it holds only unfinished downloads; pull again to resume them.", models[1].Problem);
    }

    [Fact]
    public void A_cache_folder_that_does_not_exist_lists_nothing() =>
        Assert.Empty(ModelCache.List(_folder.PathOf("never-created")));
}
