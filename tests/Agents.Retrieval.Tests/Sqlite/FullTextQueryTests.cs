using System.Text.RegularExpressions;
using Agents.Retrieval.Sqlite;

namespace Agents.Retrieval.Tests.Sqlite;

public sealed partial class FullTextQueryTests
{
    [Theory]
    [InlineData("hello world", "\"hello\" OR \"world\"")]
    [InlineData("Hello HELLO hello", "\"hello\"")]
    [InlineData("NEAR(a b)", "\"near\" OR \"a\" OR \"b\"")]
    [InlineData("a*", "\"a\"")]
    [InlineData("^a", "\"a\"")]
    [InlineData("text: x", "\"text\" OR \"x\"")]
    [InlineData("{a b}: c", "\"a\" OR \"b\" OR \"c\"")]
    [InlineData("\"unbalanced", "\"unbalanced\"")]
    [InlineData("AND OR NOT", "\"and\" OR \"or\" OR \"not\"")]
    [InlineData("-x +y", "\"x\" OR \"y\"")]
    [InlineData("it's", "\"it\" OR \"s\"")]
    [InlineData("v2 2024", "\"v2\" OR \"2024\"")]
    [InlineData("Café crème", "\"café\" OR \"crème\"")]
    [InlineData("cafe\u0301", "\"cafe\u0301\"")]
    [InlineData("東京タワー", "\"東京タワー\"")]
    [InlineData("a🙂b", "\"a\" OR \"b\"")]
    [InlineData("\U0001D49C", "\"\U0001D49C\"")]
    public void Build_TurnsTextIntoQuotedWordsJoinedByOr(string text, string expected) =>
        Assert.Equal(expected, Build([text], 64));

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("(")]
    [InlineData("\"")]
    [InlineData("* ^ : - + ( ) \" ' , . ; !")]
    [InlineData("🙂🎉")]
    [InlineData("\0\u200b")]
    public void Build_OfTextWithoutWords_IsNull(string text) =>
        Assert.Null(Build([text], 64));

    [Fact]
    public void Build_OfNoKeywordsOrNullKeywords_IsNull()
    {
        Assert.Null(Build([], 64));
        Assert.Null(Build([null!], 64));
    }

    [Fact]
    public void Build_KeepsTheFirstDistinctWordsUpToTheLimit_AcrossKeywords()
    {
        var query = Build(["one two one", "three", "four five"], 3);

        Assert.Equal("\"one\" OR \"two\" OR \"three\"", query);
    }

    [Fact]
    public void Build_SkipsWordsLongerThan128Characters()
    {
        var longest = new string('a', 128);

        Assert.Equal($"\"{longest}\" OR \"b\"", Build([longest + " " + new string('c', 129) + " b"], 64));
    }

    [Fact]
    public void Build_OfAOneMegabyteText_IsBoundedByTheLimit()
    {
        var random = new Random(3);
        var text = string.Join(' ', Enumerable.Range(0, 200_000).Select(_ => "w" + random.Next()));

        var query = Build([text], 64);

        Assert.Equal(64, query!.Split(" OR ").Length);
    }

    [Fact]
    public void Build_NeverLetsAQuoteOrOperatorIntoATerm()
    {
        var random = new Random(17);
        const string alphabet = "ab\"'*^:-+(){}[] \t\\;NEARORANDNOT0é🙂";
        var runes = alphabet.EnumerateRunes().ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => runes[random.Next(runes.Length)].ToString()));

            var query = Build([text], 64);

            Assert.True(query is null || SafeQuery().IsMatch(query), $"unsafe query {query} for {text}");
        }
    }

    [GeneratedRegex(@"\A""[\p{L}\p{N}\p{M}]+""( OR ""[\p{L}\p{N}\p{M}]+"")*\z")]
    private static partial Regex SafeQuery();

    private static string? Build(IEnumerable<string> keywords, int maxTerms) => FullTextQuery.Match(FullTextQuery.Terms(keywords, maxTerms));
}
