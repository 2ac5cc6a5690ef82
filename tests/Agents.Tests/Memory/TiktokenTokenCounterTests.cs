using Agents.Memory;
using Microsoft.ML.Tokenizers;

namespace Agents.Tests.Memory;

public sealed class TiktokenTokenCounterTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini", "o200k_base")]
    [InlineData("GPT-4o-2024-08-06", "o200k_base")]
    [InlineData("gpt-4.1", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("o1", "o200k_base")]
    [InlineData("o1-mini", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("o4-mini", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("gpt-5.1-codex", "o200k_base")]
    [InlineData("openai/gpt-4o", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("gpt-50", "cl100k_base")]
    [InlineData("o10", "cl100k_base")]
    [InlineData("llama3", "cl100k_base")]
    [InlineData("qwen2.5:7b", "cl100k_base")]
    public void Model_ids_map_to_their_encoding(string modelId, string encoding)
    {
        Assert.Equal(encoding, TiktokenTokenCounter.GetEncodingName(modelId));
        Assert.Equal(encoding, TiktokenTokenCounter.ForModel(modelId).EncodingName);
    }

    [Theory]
    [InlineData("gpt-4o", "Hello, world! How are you today?")]
    [InlineData("gpt-4o", "Свобода — это 自由, and emoji 🙂 too.")]
    [InlineData("gpt-4", "Hello, world! How are you today?")]
    [InlineData("gpt-4", "Свобода — это 自由, and emoji 🙂 too.")]
    public void Counts_match_the_models_own_tiktoken_tokenizer(string modelId, string text)
    {
        var reference = TiktokenTokenizer.CreateForModel(modelId);

        Assert.Equal(reference.CountTokens(text), TiktokenTokenCounter.ForModel(modelId).CountTokens(text));
    }

    [Fact]
    public void The_two_encodings_really_differ()
    {
        const string Text = "Свобода — это 自由, and emoji 🙂 too.";

        Assert.NotEqual(
            TiktokenTokenCounter.ForEncoding(TiktokenTokenCounter.O200kBase).CountTokens(Text),
            TiktokenTokenCounter.ForEncoding(TiktokenTokenCounter.Cl100kBase).CountTokens(Text));
        Assert.Equal(2, TiktokenTokenCounter.ForModel("gpt-4o").CountTokens("hello world"));
    }

    [Fact]
    public void Counters_are_built_once_per_encoding()
    {
        Assert.Same(TiktokenTokenCounter.ForModel("gpt-4o"), TiktokenTokenCounter.ForModel("o3"));
        Assert.Same(TiktokenTokenCounter.ForModel("gpt-4"), TiktokenTokenCounter.ForModel("llama3"));
        Assert.NotSame(TiktokenTokenCounter.ForModel("gpt-4o"), TiktokenTokenCounter.ForModel("gpt-4"));
    }

    [Fact]
    public void An_unknown_encoding_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TiktokenTokenCounter.ForEncoding("p50k_base"));

        Assert.Contains("p50k_base", error.Message);
    }
}
