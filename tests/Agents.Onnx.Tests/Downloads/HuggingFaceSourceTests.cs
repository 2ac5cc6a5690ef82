using Agents.Onnx.Downloads;

namespace Agents.Onnx.Tests.Downloads;

public sealed class HuggingFaceSourceTests
{
    [Theory]
    [InlineData("microsoft/Phi-3-mini-4k-instruct-onnx", true)]
    [InlineData("sentence-transformers/all-MiniLM-L6-v2", true)]
    [InlineData("gpt2", true)]
    [InlineData("https://huggingface.co/gpt2", false)]
    [InlineData("./models/phi3", false)]
    [InlineData("owner/../name", false)]
    [InlineData("owner/name/extra", false)]
    [InlineData("owner/name..x", false)]
    [InlineData("", false)]
    public void Tells_a_repository_id_from_a_url_or_path(string text, bool isRepoId) =>
        Assert.Equal(isRepoId, HuggingFaceSource.IsRepoId(text));

    [Theory]
    [InlineData("cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/*", "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/genai_config.json", true)]
    [InlineData("cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/*", "cuda/cuda-int4-rtn-block-32/genai_config.json", false)]
    [InlineData("onnx/*", "onnx/nested/model.onnx", true)]
    [InlineData("*.json", "cpu/config.json", true)]
    [InlineData("model.onn?", "model.onnx", true)]
    [InlineData("cpu", "cpu/model.onnx", true)]
    [InlineData("cpu", "cpu2/model.onnx", false)]
    [InlineData("onnx/model.onnx", "onnx/model.onnx", true)]
    [InlineData("onnx/model.onnx", "onnx/model.onnx.data", false)]
    [InlineData("a.b", "axb", false)]
    public void Include_patterns_match_as_the_hub_cli_does(string pattern, string path, bool included) =>
        Assert.Equal(included, new HuggingFaceSource("owner/name", include: [pattern]).Includes(path));

    [Fact]
    public void No_pattern_includes_every_file() =>
        Assert.True(new HuggingFaceSource("owner/name").Includes("any/file.bin"));

    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "cpu/int4/*" }, "cpu/int4")]
    [InlineData(new[] { "cpu/int4/*", "cpu/int8/*" }, "cpu")]
    [InlineData(new[] { "cpu/int4/model.onnx" }, "cpu/int4")]
    [InlineData(new[] { "cpu/*/model.onnx" }, "cpu")]
    [InlineData(new[] { "*.json", "cpu/*" }, "")]
    public void The_listing_starts_at_the_folder_all_patterns_share(string[] patterns, string folder) =>
        Assert.Equal(folder, new HuggingFaceSource("owner/name", include: patterns).ListingFolder);

    [Fact]
    public void A_malformed_repository_id_or_revision_is_refused()
    {
        var repo = Assert.Throws<ArgumentException>(() => new HuggingFaceSource("not a repo"));
        Assert.StartsWith("'not a repo' is not a Hugging Face repository id", repo.Message);
        Assert.Throws<ArgumentException>(() => new HuggingFaceSource("owner/name", revision: "../main"));
        Assert.Throws<ArgumentException>(() => new HuggingFaceSource("owner/name", include: [" "]));
    }
}
