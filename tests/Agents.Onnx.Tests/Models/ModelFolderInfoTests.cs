using Agents.Onnx.Models;
using Agents.Testing;
using Agents.Testing.Models;

namespace Agents.Onnx.Tests.Models;

public sealed class ModelFolderInfoTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Describes_a_genai_folder_from_its_config_and_onnx_header()
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));

        var info = ModelFolderInfo.Read(path);

        Assert.Equal((ModelFolderKind.GenAI, "llama"), (info.Kind, info.ModelType));
        Assert.Equal((2, 4, 2, 8, 64, 2048), (info.Layers!.Value, info.AttentionHeads!.Value, info.KeyValueHeads!.Value, info.HiddenSize!.Value, info.VocabularySize!.Value, info.ContextLength!.Value));
        Assert.Equal(["input_ids int64[batch_size, sequence_length]", "attention_mask int64[batch_size, sequence_length]"], info.Inputs.Select(i => i.ToString()));
        Assert.Equal(["last_hidden_state float[batch_size, sequence_length, 8]"], info.Outputs.Select(o => o.ToString()));
        Assert.Equal((17L, "agents-tests"), (info.OpsetVersion!.Value, info.Producer));
        Assert.Equal(["tokenizer.json", "tokenizer_config.json"], info.TokenizerFiles);
        Assert.Equal(new FileInfo(TinyModelFolders.TinyOnnx).Length, info.OnnxBytes);
        Assert.Equal(Directory.EnumerateFiles(path).Sum(f => new FileInfo(f).Length), info.SizeBytes);
    }

    [Fact]
    public void Describes_the_committed_tiny_llama_with_the_names_genai_binds()
    {
        var info = ModelFolderInfo.Read(Path.Combine(AppContext.BaseDirectory, "models", "tiny-llama"));

        Assert.Equal((ModelFolderKind.GenAI, "llama", 2, 4, 2, 64, 325, 4096), (info.Kind, info.ModelType, info.Layers!.Value, info.AttentionHeads!.Value, info.KeyValueHeads!.Value, info.HiddenSize!.Value, info.VocabularySize!.Value, info.ContextLength!.Value));
        Assert.Equal(
            ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"],
            info.Inputs.Select(i => i.Name));
        Assert.Equal(["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"], info.Outputs.Select(o => o.Name));
        Assert.Equal((17L, "agents-tiny-llama"), (info.OpsetVersion!.Value, info.Producer));
        Assert.Equal(["tokenizer.json", "tokenizer_config.json"], info.TokenizerFiles);
    }

    [Fact]
    public void Counts_external_weights_in_the_onnx_size()
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        File.WriteAllBytes(Path.Combine(path, "model.onnx.data"), new byte[1000]);

        var info = ModelFolderInfo.Read(path);

        Assert.Equal(new FileInfo(TinyModelFolders.TinyOnnx).Length + 1000, info.OnnxBytes);
    }

    [Fact]
    public void Describes_a_sentence_embedding_folder_with_its_export_in_an_onnx_subfolder()
    {
        var path = TinyModelFolders.Embedding(_folder.PathOf("bert"));

        var info = ModelFolderInfo.Read(path);

        Assert.Equal((ModelFolderKind.SentenceEmbedding, "bert", 128, 64), (info.Kind, info.ModelType, info.ContextLength!.Value, info.VocabularySize!.Value));
        Assert.Null(info.KeyValueHeads);
        Assert.Equal(Path.Combine(path, "onnx", "model.onnx"), info.OnnxFile);
        Assert.Equal(["input_ids", "attention_mask"], info.Inputs.Select(i => i.Name));
        Assert.Equal(["vocab.txt"], info.TokenizerFiles);
    }

    [Fact]
    public void A_folder_that_is_not_a_model_is_a_clear_error()
    {
        var path = _folder.PathOf("notes");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "notes.txt"), "not a model");

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.Equal($"'{path}' is not a model folder: it has neither genai_config.json (an ONNX Runtime GenAI model) nor config.json with model.onnx (a sentence-embedding model).", error.Message);
        Assert.Null(ModelFolderInfo.Detect(path));
    }

    [Fact]
    public void A_missing_folder_is_a_clear_error()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(_folder.PathOf("absent")));

        Assert.EndsWith("is not a folder; give the folder a model was pulled into.", error.Message);
    }

    [Fact]
    public void A_config_without_the_onnx_export_says_what_to_pull()
    {
        var path = _folder.PathOf("bert");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "config.json"), TinyModelFolders.BertConfig);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.Equal($"'{path}' has config.json but no model.onnx or onnx/model.onnx; pull the model's ONNX export into it.", error.Message);
    }

    [Fact]
    public void A_genai_folder_without_its_decoder_file_says_it_is_incomplete()
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        File.Delete(Path.Combine(path, "model.onnx"));

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.Equal($"'{Path.Combine(path, "model.onnx")}' is missing; the model folder is incomplete, so pull it again.", error.Message);
    }

    [Theory]
    [InlineData("{\"model\": ", "it is not valid JSON")]
    [InlineData("{\"search\": {}}", "it has no \"model\" object")]
    [InlineData("{\"model\": {\"decoder\": {}}}", "it names no \"model.decoder.filename\"")]
    [InlineData("{\"model\": {\"decoder\": {\"filename\": \"../../model.onnx\"}}}", "its decoder file '../../model.onnx' is not a file name inside the folder")]
    public void A_malformed_genai_config_is_a_clear_error(string config, string why)
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        File.WriteAllText(Path.Combine(path, "genai_config.json"), config);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.StartsWith($"'{Path.Combine(path, "genai_config.json")}' cannot be read as a model configuration ({why}", error.Message);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_says_what_to_pull()
    {
        var path = TinyModelFolders.Embedding(_folder.PathOf("bert"));
        File.Delete(Path.Combine(path, "vocab.txt"));

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.Equal($"'{path}' has no vocab.txt or tokenizer.json; pull the model's tokenizer files into it.", error.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_truncated_onnx_file_is_a_clear_error(double keep)
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        var bytes = File.ReadAllBytes(TinyModelFolders.TinyOnnx);
        File.WriteAllBytes(Path.Combine(path, "model.onnx"), bytes[..(int)(bytes.Length * keep)]);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.StartsWith($"'{Path.Combine(path, "model.onnx")}' is not a readable ONNX model (", error.Message);
        Assert.EndsWith("the file is corrupt or truncated, so pull it again.", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_protobuf_is_a_clear_error()
    {
        var path = TinyModelFolders.GenAI(_folder.PathOf("llama"));
        File.WriteAllText(Path.Combine(path, "model.onnx"), "<html>404 Not Found</html>");

        var error = Assert.Throws<ModelFolderException>(() => ModelFolderInfo.Read(path));

        Assert.StartsWith($"'{Path.Combine(path, "model.onnx")}' is not a readable ONNX model (", error.Message);
    }
}
