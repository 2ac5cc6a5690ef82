using Agents.Onnx.Embeddings;
using Agents.Testing;

namespace Agents.Onnx.Tests.Embeddings;

public sealed class BertModelFolderTests
{
    [Fact]
    public void ReadsTheTinyModelsSettings()
    {
        var folder = BertModelFolder.Read(TinyBert.Path);

        Assert.Equal(Path.Combine(TinyBert.Path, "model.onnx"), folder.ModelFile);
        Assert.Equal(Path.Combine(TinyBert.Path, "vocab.txt"), folder.VocabFile);
        Assert.True(folder.LowerCase);
        Assert.True(folder.StripAccents);
        Assert.True(folder.TokenizeCjk);
        Assert.Equal(64, folder.MaxTokens);
        Assert.Equal(32, folder.HiddenSize);
        Assert.Equal(OnnxEmbeddingPooling.Mean, folder.Pooling);
    }

    [Fact]
    public void SentenceTransformersSettingsWinOverTheTokenizers()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        File.WriteAllText(Path.Combine(path, "sentence_bert_config.json"), """{"max_seq_length": 16, "do_lower_case": false}""");
        File.WriteAllText(Path.Combine(path, "1_Pooling", "config.json"), """{"word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");

        var folder = BertModelFolder.Read(path);

        Assert.Equal(16, folder.MaxTokens);
        Assert.Equal(OnnxEmbeddingPooling.Cls, folder.Pooling);
    }

    [Fact]
    public void AFolderWithOnlyModelAndVocabularyTakesBertsDefaults()
    {
        using var temp = new TempFolder();
        var path = Directory.CreateDirectory(temp.PathOf("bare")).FullName;
        Directory.CreateDirectory(Path.Combine(path, "onnx"));
        File.Copy(Path.Combine(TinyBert.Path, "model.onnx"), Path.Combine(path, "onnx", "model.onnx"));
        File.Copy(Path.Combine(TinyBert.Path, "vocab.txt"), Path.Combine(path, "vocab.txt"));

        var folder = BertModelFolder.Read(path);

        Assert.Equal(Path.Combine(path, "onnx", "model.onnx"), folder.ModelFile);
        Assert.True(folder.LowerCase);
        Assert.Equal(512, folder.MaxTokens);
        Assert.Null(folder.HiddenSize);
        Assert.Null(folder.Pooling);
    }

    [Fact]
    public void AnUnlimitedTokenizerIsCappedByThePositionTable()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        File.WriteAllText(Path.Combine(path, "tokenizer_config.json"), """{"do_lower_case": false, "model_max_length": 1000000000000000019884624838656}""");

        var folder = BertModelFolder.Read(path);

        Assert.Equal(64, folder.MaxTokens);
        Assert.False(folder.LowerCase);
        Assert.False(folder.StripAccents);
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        using var temp = new TempFolder();
        var missing = temp.PathOf("no-such-model");

        var error = Assert.Throws<DirectoryNotFoundException>(() => new OnnxEmbeddingGenerator(missing));

        Assert.Equal($"The embedding model folder '{missing}' does not exist.", error.Message);
    }

    [Fact]
    public void AFolderWithoutModelOnnxSaysSo()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        File.Delete(Path.Combine(path, "model.onnx"));

        var error = Assert.Throws<FileNotFoundException>(() => new OnnxEmbeddingGenerator(path));

        Assert.Contains($"'{path}' has no model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutVocabularySaysSo()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        File.Delete(Path.Combine(path, "vocab.txt"));

        var error = Assert.Throws<FileNotFoundException>(() => new OnnxEmbeddingGenerator(path));

        Assert.Contains($"'{path}' has no vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedConfigurationIsNamed()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        var config = Path.Combine(path, "tokenizer_config.json");
        File.WriteAllText(config, "{ \"do_lower_case\": tru");

        var error = Assert.Throws<InvalidDataException>(() => new OnnxEmbeddingGenerator(path));

        Assert.StartsWith($"'{config}' is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APoolingModeThisGeneratorLacksIsRefused()
    {
        using var temp = new TempFolder();
        var path = temp.CopyFolder(TinyBert.Path, "model");
        File.WriteAllText(Path.Combine(path, "1_Pooling", "config.json"), """{"pooling_mode_max_tokens": true}""");

        var error = Assert.Throws<InvalidDataException>(() => new OnnxEmbeddingGenerator(path));

        Assert.Contains("pooling other than mean or CLS", error.Message, StringComparison.Ordinal);
    }
}
