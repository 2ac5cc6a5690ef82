using Agents.Grounding;
using Agents.Steps;

namespace Agents.Tests.Grounding;

public sealed class CitationFinderTests
{
    private static readonly Dictionary<string, RetrievedPassage> Retrieved = new()
    {
        ["a.md#0"] = new("a.md#0", "a.md", "Intro", 1, "x"),
        ["b.pdf#3"] = new("b.pdf#3", "b.pdf", "page 2", 1, "y"),
        ["c d.txt#1"] = new("c d.txt#1", "c d.txt", null, 1, "z"),
    };

    [Theory]
    [InlineData("Yes [a.md#0].", new[] { "a.md#0" })]
    [InlineData("Both [b.pdf#3, a.md#0] and again [a.md#0].", new[] { "b.pdf#3", "a.md#0" })]
    [InlineData("Adjacent [a.md#0][b.pdf#3]", new[] { "a.md#0", "b.pdf#3" })]
    [InlineData("Spaces in ids [c d.txt#1]; semicolons [a.md#0; b.pdf#3]", new[] { "c d.txt#1", "a.md#0", "b.pdf#3" })]
    [InlineData("Made up [z.md#4], link [a.md#0](http://x) counts, array [1, 2]", new[] { "a.md#0" })]
    [InlineData("No brackets at all", new string[0])]
    [InlineData("Nested [[a.md#0]] and unclosed [b.pdf#3", new[] { "a.md#0" })]
    public void Finds_each_retrieved_id_once_in_order_of_first_mention(string answer, string[] expected)
    {
        var citations = CitationFinder.Find(answer, Retrieved);

        Assert.Equal(expected, citations.Select(c => c.Id));
    }

    [Fact]
    public void A_citation_carries_the_source_and_position_of_its_passage()
    {
        Assert.Equal([new Citation("b.pdf#3", "b.pdf", "page 2")], CitationFinder.Find("[b.pdf#3]", Retrieved));
    }

    [Fact]
    public void Nothing_retrieved_means_nothing_cited_even_for_huge_answers()
    {
        Assert.Empty(CitationFinder.Find(string.Concat(Enumerable.Repeat("[a.md#0]", 100_000)), new Dictionary<string, RetrievedPassage>()));
        Assert.Single(CitationFinder.Find(string.Concat(Enumerable.Repeat("[a.md#0]", 100_000)), Retrieved));
    }
}
