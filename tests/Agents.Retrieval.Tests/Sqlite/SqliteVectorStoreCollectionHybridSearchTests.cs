using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>Hybrid search: vector and BM25 rankings fused by reciprocal rank (k = 60).</summary>
public sealed class SqliteVectorStoreCollectionHybridSearchTests : IDisposable
{
    private static readonly float[] Query = [1, 0, 0, 0];

    // Vector ranking for Query: vector-only (1.0), both (0.9), keyword-only and neither far behind.
    private static readonly Note[] Corpus =
    [
        Note.Of("vector-only", "completely different words", 1, 0, 0, 0),
        Note.Of("both", "turbine blade inspection", 0.9f, 0.1f, 0, 0),
        Note.Of("keyword-only", "turbine turbine turbine", -1, 0, 0, 0),
        Note.Of("neither", "unrelated text", 0, 0, 0, 1),
    ];

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RecordsFoundByBothSides_RankAboveRecordsFoundByOne()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.HybridSearchAsync(Query, ["turbine"], 2).ToListAsync();

        Assert.Equal("both", hits[0].Record.Id);
        Assert.Equal(1d / 62 + 1d / 62, hits[0].Score!.Value, 12);
    }

    [Fact]
    public async Task RecordsFoundByOnlyOneSide_AreReturnedToo()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.HybridSearchAsync(Query, ["turbine"], 10).ToListAsync();
        var ids = hits.Select(h => h.Record.Id).ToList();

        Assert.Equal("both", ids[0]);
        Assert.Contains("vector-only", ids);
        Assert.Contains("keyword-only", ids);
        Assert.Equal(1d / 61, hits.Single(h => h.Record.Id == "vector-only").Score!.Value, 12);
        Assert.Equal(1d / 61 + 1d / 64, hits.Single(h => h.Record.Id == "keyword-only").Score!.Value, 12);
    }

    [Fact]
    public async Task Scores_AreTheReciprocalRankFusionOfBothRankings()
    {
        var notes = await _temp.NotesAsync(Corpus);
        var vectorRanking = (await notes.SearchAsync(Query, 20).ToListAsync()).Select(h => h.Record.Id);
        var keywordRanking = (await notes.KeywordSearchAsync("turbine", 20).ToListAsync()).Select(h => h.Record.Id);
        var expected = ReciprocalRankFusion.Fuse([vectorRanking, keywordRanking]);

        var hits = await notes.HybridSearchAsync(Query, ["turbine"], 10).ToListAsync();

        Assert.Equal(expected.Select(e => e.Key), hits.Select(h => h.Record.Id));
        Assert.Equal(expected.Select(e => e.Score), hits.Select(h => h.Score!.Value));
    }

    [Fact]
    public async Task Filter_AppliesToBothSides()
    {
        var notes = await _temp.NotesAsync(Corpus.Select(n => new Note { Id = n.Id, Text = n.Text, Vector = n.Vector, Rank = n.Id == "both" ? 1 : 0 }));

        var hits = await notes.HybridSearchAsync(Query, ["turbine"], 10, new HybridSearchOptions<Note> { Filter = n => n.Rank == 0 }).ToListAsync();

        Assert.DoesNotContain("both", hits.Select(h => h.Record.Id));
        Assert.Contains("keyword-only", hits.Select(h => h.Record.Id));
        Assert.Contains("vector-only", hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task SkipTopAndThreshold_PageTheFusedRanking()
    {
        var notes = await _temp.NotesAsync(Corpus);
        var all = await notes.HybridSearchAsync(Query, ["turbine"], 10).ToListAsync();

        var page = await notes.HybridSearchAsync(Query, ["turbine"], 2, new HybridSearchOptions<Note> { Skip = 1 }).ToListAsync();
        var aboveThreshold = await notes.HybridSearchAsync(Query, ["turbine"], 10, new HybridSearchOptions<Note> { ScoreThreshold = 1d / 61 + 1d / 100 }).ToListAsync();

        Assert.Equal(all.Skip(1).Take(2).Select(h => h.Record.Id), page.Select(h => h.Record.Id));
        Assert.Equal(["both", "keyword-only"], aboveThreshold.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task TopOfIntMaxValue_ReturnsEveryCandidate()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.HybridSearchAsync(Query, ["turbine"], int.MaxValue, new HybridSearchOptions<Note> { Skip = 1 }).ToListAsync();

        Assert.Equal(Corpus.Length - 1, hits.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("NEAR(\" ^ *")]
    public async Task KeywordsWithoutWords_LeaveTheVectorRanking(string keywords)
    {
        var notes = await _temp.NotesAsync(Corpus);
        var vectorRanking = (await notes.SearchAsync(Query, 3).ToListAsync()).Select(h => h.Record.Id);

        var hits = await notes.HybridSearchAsync(Query, [keywords], 3).ToListAsync();

        Assert.Equal(vectorRanking, hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task SeveralKeywords_AreAllSearched()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.HybridSearchAsync(new float[] { 0, 0, 1, 0 }, ["unrelated", "inspection"], 10).ToListAsync();

        Assert.Contains("neither", hits.Take(2).Select(h => h.Record.Id));
        Assert.Contains("both", hits.Take(2).Select(h => h.Record.Id));
    }

    [Fact]
    public async Task AHugeKeywordList_Finishes()
    {
        var notes = await _temp.NotesAsync(Corpus);
        var keywords = Enumerable.Range(0, 100_000).Select(i => $"k{i}").Append("turbine").ToList();

        var hits = await notes.HybridSearchAsync(Query, keywords, 3).ToListAsync();

        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public async Task TextSearchValue_IsEmbeddedWithTheGenerator()
    {
        var generator = new WordHashEmbeddingGenerator(4);
        using var temp = new TempStore(new SqliteVectorStoreOptions { EmbeddingGenerator = generator });
        var notes = await temp.NotesAsync(Corpus.Select(n => new Note { Id = n.Id, Text = n.Text, Vector = generator.Embed(n.Text) }));

        var hits = await notes.HybridSearchAsync("turbine blade inspection", ["turbine"], 1).ToListAsync();

        Assert.Equal("both", hits.Single().Record.Id);
        Assert.Equal(1, generator.TextsEmbedded);
    }

    [Fact]
    public async Task WorksThroughTheVectorDataInterface()
    {
        var notes = await _temp.NotesAsync(Corpus);
        var searchable = (IKeywordHybridSearchable<Note>)notes.GetService(typeof(IKeywordHybridSearchable<Note>))!;

        var hits = await searchable.HybridSearchAsync(Query, ["turbine"], 1).ToListAsync();

        Assert.Equal("both", hits.Single().Record.Id);
    }

    [Fact]
    public async Task QueryOfTheWrongSize_FailsNamingBothSizes()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => notes.HybridSearchAsync(new float[] { 1, 0 }, ["turbine"], 3).ToListAsync().AsTask());

        Assert.Contains("2 dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("4-dimensional", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HybridSearch_OfACollectionThatDoesNotExist_FailsClearly()
    {
        await _temp.NotesAsync(name: "other");
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() =>
            notes.HybridSearchAsync(Query, ["turbine"], 3, new HybridSearchOptions<Note> { Filter = n => n.Rank == 0 }).ToListAsync().AsTask());

        Assert.Contains("'notes' does not exist", error.Message, StringComparison.Ordinal);
    }
}
