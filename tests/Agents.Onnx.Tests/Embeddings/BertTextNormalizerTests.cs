using Agents.Onnx.Embeddings;

namespace Agents.Onnx.Tests.Embeddings;

/// <summary>Expected words are what Hugging Face's BasicTokenizer (the numpy reference's copy of it) gives.</summary>
public sealed class BertTextNormalizerTests
{
    [Theory]
    [InlineData("Price: $5 + 3 = 8 ^_^ <ok>", "price : $ 5 + 3 = 8 ^ _ ^ < ok >")]
    [InlineData("ÉCOLE Ångström NAÏVE", "ecole angstrom naive")]
    [InlineData("Line one.\nLine\ttwo.\r\nEnd", "line one . line two . end")]
    [InlineData("a\u1FEFb x\u0301y İstanbul", "a ` b xy istanbul")]
    [InlineData("zero\u200Bwidth\u0000 and\u00A0nbsp", "zerowidth and nbsp")]
    [InlineData("東京 is 2 characters", "東 京 is 2 characters")]
    [InlineData("한국어", "\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165")]
    [InlineData("emoji 🙂 stays", "emoji 🙂 stays")]
    [InlineData("[SEP] is text", "[ sep ] is text")]
    public void SplitsWordsAsHuggingFaceDoes(string text, string words)
    {
        var normalizer = new BertTextNormalizer(lowerCase: true, stripAccents: true, tokenizeCjk: true);

        Assert.Equal(words, Words(normalizer.Normalize(text)));
    }

    [Fact]
    public void CasedModelsKeepCaseAndAccents()
    {
        var normalizer = new BertTextNormalizer(lowerCase: false, stripAccents: false, tokenizeCjk: false);

        Assert.Equal("Café , 東京", Words(normalizer.Normalize("Café, 東京")));
    }

    private static string Words(string normalized) => string.Join(' ', normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
