using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>BM25 keyword search, including the text a hostile or careless user would type.</summary>
public sealed class SqliteVectorStoreCollectionKeywordSearchTests : IDisposable
{
    private static readonly Note[] Corpus =
    [
        Note.Of("near", "meet me near the station", 1, 0, 0, 0),
        Note.Of("text", "plain text column x marks", 0, 1, 0, 0),
        Note.Of("logic", "and or not are logic words", 0, 0, 1, 0),
        Note.Of("cafe", "the cafe opens at noon", 0, 0, 0, 1),
        Note.Of("cjk", "東京 タワー 見学", 1, 1, 0, 0),
        Note.Of("quote", "she said \"hello\" and left", 1, 0, 1, 0),
        Note.Of("unrelated", "nothing to see here", 1, 0, 0, 1),
    ];

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keywords_FindRecordsContainingAnyWord_BestFirst()
    {
        var notes = await _temp.NotesAsync(
        [
            Note.Of("both", "solar panels and wind turbines"),
            Note.Of("solar-only", "solar energy"),
            Note.Of("wind-only", "a long text that mentions wind once among many many other unrelated words here"),
            Note.Of("none", "coal"),
        ]);

        var hits = await notes.KeywordSearchAsync("solar wind", 10).ToListAsync();

        Assert.Equal("both", hits[0].Record.Id);
        Assert.Equal(["both", "solar-only", "wind-only"], hits.Select(h => h.Record.Id).Order());
        Assert.All(hits, h => Assert.True(h.Score > 0, $"score {h.Score}"));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "scores descend");
    }

    [Fact]
    public async Task InALargeCollection_AWordMostRecordsHold_IsNotScored_WhileRarerWordsRankAsBefore()
    {
        var notes = await _temp.NotesAsync(
            [.. Enumerable.Range(0, 1200).Select(i => Note.Of($"n{i}", i % 400 == 0 ? $"the zebra report {i}" : $"the daily report {i}"))]);

        var hits = await notes.KeywordSearchAsync("the zebra", 10).ToListAsync();
        var onlyCommon = await notes.KeywordSearchAsync("the report", 3).ToListAsync();

        // "the" is in every record: scoring it would visit the whole index for a weight of almost zero.
        Assert.Equal(["n0", "n400", "n800"], hits.Select(h => h.Record.Id).Order());
        Assert.Equal(3, onlyCommon.Count);
    }

    [Fact]
    public async Task InASmallCollection_EveryWordIsScored_SoARecordSharingOnlyACommonWordIsListedLast()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "the zebra"), Note.Of("b", "the horse"), Note.Of("c", "the cow")]);

        var hits = await notes.KeywordSearchAsync("the zebra", 10).ToListAsync();

        Assert.Equal("a", hits[0].Record.Id);
        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public async Task Bm25_RanksAShortFocusedTextAboveALongDilutedOne()
    {
        var notes = await _temp.NotesAsync(
        [
            Note.Of("long", "turbine " + string.Join(' ', Enumerable.Repeat("filler", 200))),
            Note.Of("short", "turbine turbine maintenance"),
        ]);

        var hits = await notes.KeywordSearchAsync("turbine", 10).ToListAsync();

        Assert.Equal(["short", "long"], hits.Select(h => h.Record.Id));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task Keywords_IgnoreCase()
    {
        var notes = await _temp.NotesAsync(Corpus);

        Assert.Equal(["cafe"], (await notes.KeywordSearchAsync("NOON", 10).ToListAsync()).Select(h => h.Record.Id));
    }

    [Theory]
    [InlineData("NEAR(station meet)", "near")]
    [InlineData("NEAR", "near")]
    [InlineData("station*", "near")]
    [InlineData("^station", "near")]
    [InlineData("text: x", "text")]
    [InlineData("Text:marks", "text")]
    [InlineData("{Text Source}: marks", "text")]
    [InlineData("\"unbalanced marks", "text")]
    [InlineData("AND OR NOT", "logic")]
    [InlineData("logic AND", "logic")]
    [InlineData("-noon", "cafe")]
    [InlineData("( noon", "cafe")]
    [InlineData("noon )", "cafe")]
    [InlineData("\"hello\"", "quote")]
    [InlineData("'hello'", "quote")]
    [InlineData("he\"llo\" said", "quote")]
    [InlineData("noon + - * / \\ ; -- ' \" ` ~ ! @ # $ % ^ & | < > = ? , .", "cafe")]
    [InlineData("noon'); DROP TABLE notes; --", "cafe")]
    [InlineData("rank: noon", "cafe")]
    [InlineData("rowid noon", "cafe")]
    [InlineData("notes__fts: noon", "cafe")]
    public async Task FtsSyntax_IsMatchedAsPlainWords(string query, string expectedId)
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.KeywordSearchAsync(query, 10).ToListAsync();

        Assert.Contains(expectedId, hits.Select(h => h.Record.Id));
        Assert.DoesNotContain("unrelated", hits.Select(h => h.Record.Id));
        Assert.Equal(Corpus.Length, await notes.GetAsync(n => true, 100).CountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n ")]
    [InlineData("\"")]
    [InlineData("()")]
    [InlineData("* ^ : - + ( ) \" '")]
    [InlineData("🙂🎉")]
    [InlineData("\0")]
    public async Task QueriesWithoutWords_FindNothingWithoutError(string query)
    {
        var notes = await _temp.NotesAsync(Corpus);

        Assert.Empty(await notes.KeywordSearchAsync(query, 10).ToListAsync());
    }

    [Fact]
    public async Task AOneMegabyteQuery_Finishes_UsingOnlyTheFirstMaxKeywordTermsWords()
    {
        using var temp = new TempStore(new SqliteVectorStoreOptions { MaxKeywordTerms = 3 });
        var notes = await temp.NotesAsync(Corpus);
        var random = new Random(1);
        var filler = string.Join(' ', Enumerable.Range(0, 150_000).Select(_ => "w" + random.Next(1_000_000)));
        var query = "station noon hello " + filler + " marks";

        Assert.True(query.Length >= 1_000_000);
        var hits = await notes.KeywordSearchAsync(query, 10).ToListAsync();

        Assert.Equal(["cafe", "near", "quote"], hits.Select(h => h.Record.Id).Order());
    }

    [Fact]
    public async Task AOneMegabyteQueryOfOneWord_IsSkippedAsNoWord()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.KeywordSearchAsync(new string('a', 1_000_000) + " noon", 10).ToListAsync();

        Assert.Equal(["cafe"], hits.Select(h => h.Record.Id));
    }

    [Theory]
    [InlineData("café", "cafe")]
    [InlineData("CAFÉ", "cafe")]
    [InlineData("cafe\u0301", "cafe")]
    [InlineData("東京", "cjk")]
    [InlineData("タワー", "cjk")]
    [InlineData("🙂noon🙂", "cafe")]
    [InlineData("ñóön", "cafe")]
    public async Task Unicode_MatchesAsTheIndexTokenizes(string query, string expectedId)
    {
        var notes = await _temp.NotesAsync(Corpus);

        var hits = await notes.KeywordSearchAsync(query, 10).ToListAsync();

        Assert.Equal([expectedId], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task AccentedText_IsFoundByItsPlainSpelling()
    {
        var notes = await _temp.NotesAsync([Note.Of("accented", "un café crème à Zürich")]);

        Assert.Single(await notes.KeywordSearchAsync("cafe creme zurich", 10).ToListAsync());
        Assert.Single(await notes.KeywordSearchAsync("ZÜRICH", 10).ToListAsync());
    }

    [Fact]
    public async Task Filter_RestrictsKeywordHits()
    {
        var notes = await _temp.NotesAsync(
        [
            new Note { Id = "a1", Text = "shared word", Source = "a.md", Rank = 1 },
            new Note { Id = "b1", Text = "shared word", Source = "b.md", Rank = 2 },
            new Note { Id = "a2", Text = "shared", Source = "a.md", Rank = 3 },
        ]);

        var hits = await notes.KeywordSearchAsync("shared", 10, new HybridSearchOptions<Note> { Filter = n => n.Source == "a.md" }).ToListAsync();
        var none = await notes.KeywordSearchAsync("shared", 10, new HybridSearchOptions<Note> { Filter = n => n.Rank > 10 }).ToListAsync();

        Assert.Equal(["a1", "a2"], hits.Select(h => h.Record.Id).Order());
        Assert.Empty(none);
    }

    [Fact]
    public async Task TopSkipAndScoreThreshold_PageTheRanking()
    {
        var notes = await _temp.NotesAsync(Enumerable.Range(1, 6).Select(i => Note.Of($"n{i}", string.Join(' ', Enumerable.Repeat("term", i)) + " " + string.Join(' ', Enumerable.Repeat("pad", 10)))));
        var all = await notes.KeywordSearchAsync("term", 10).ToListAsync();

        var page = await notes.KeywordSearchAsync("term", 2, new HybridSearchOptions<Note> { Skip = 1 }).ToListAsync();
        var threshold = (all[2].Score!.Value + all[3].Score!.Value) / 2;
        var aboveThreshold = await notes.KeywordSearchAsync("term", 10, new HybridSearchOptions<Note> { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal(6, all.Count);
        Assert.Equal(["n6", "n5", "n4", "n3", "n2", "n1"], all.Select(h => h.Record.Id));
        Assert.Equal(all.Skip(1).Take(2).Select(h => h.Record.Id), page.Select(h => h.Record.Id));
        Assert.Equal(all.Take(3).Select(h => h.Record.Id), aboveThreshold.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task TopOfIntMaxValue_WithSkip_ReturnsAllButTheSkipped()
    {
        var notes = await _temp.NotesAsync(Enumerable.Range(1, 5).Select(i => Note.Of($"n{i}", string.Join(' ', Enumerable.Repeat("term", i)))));

        var hits = await notes.KeywordSearchAsync("term", int.MaxValue, new HybridSearchOptions<Note> { Skip = 2 }).ToListAsync();

        Assert.Equal(["n3", "n2", "n1"], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task RecordsWithoutText_AreStoredAndSkipped()
    {
        var collection = _temp.Store.GetDynamicCollection("texts", TextDefinition(fullText: true));
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync([new() { ["Id"] = "empty", ["Text"] = null }, new() { ["Id"] = "full", ["Text"] = "words" }]);
        await collection.UpsertAsync(new Dictionary<string, object?> { ["Id"] = "full", ["Text"] = null });

        Assert.Empty(await collection.KeywordSearchAsync("words", 5).ToListAsync());
        Assert.Equal(2, await collection.GetAsync(r => true, 5).CountAsync());
    }

    [Fact]
    public async Task AFullTextIndexAddedLater_CoversTheRecordsAlreadyStored()
    {
        var plain = _temp.Store.GetDynamicCollection("texts", TextDefinition(fullText: false));
        await plain.EnsureCollectionExistsAsync();
        await plain.UpsertAsync(new Dictionary<string, object?> { ["Id"] = "old", ["Text"] = "written before the index" });

        var indexed = _temp.Store.GetDynamicCollection("texts", TextDefinition(fullText: true));
        await indexed.EnsureCollectionExistsAsync();
        await indexed.UpsertAsync(new Dictionary<string, object?> { ["Id"] = "new", ["Text"] = "written after the index" });

        Assert.Equal(["new", "old"], (await indexed.KeywordSearchAsync("written", 5).ToListAsync()).Select(h => (string)h.Record["Id"]!).Order());
    }

    [Fact]
    public async Task IncludeVectors_AppliesToKeywordHits()
    {
        var notes = await _temp.NotesAsync(Corpus);

        var with = await notes.KeywordSearchAsync("noon", 1, new HybridSearchOptions<Note> { IncludeVectors = true }).SingleAsync();
        var without = await notes.KeywordSearchAsync("noon", 1).SingleAsync();

        Assert.Equal([0f, 0, 0, 1], with.Record.Vector!.Value.ToArray());
        Assert.Null(without.Record.Vector);
    }

    [Fact]
    public async Task AdditionalProperty_ChoosesWhichTextIsSearched()
    {
        var articles = _temp.Store.GetCollection<int, ArticleRecord>("articles");
        await articles.EnsureCollectionExistsAsync();
        await articles.UpsertAsync(
        [
            new ArticleRecord { Id = 1, Title = "rivers", Body = "mountains" },
            new ArticleRecord { Id = 2, Title = "mountains", Body = "rivers" },
        ]);

        var byTitle = await articles.KeywordSearchAsync("rivers", 5, new HybridSearchOptions<ArticleRecord> { AdditionalProperty = a => a.Title }).ToListAsync();
        var byBody = await articles.KeywordSearchAsync("rivers", 5, new HybridSearchOptions<ArticleRecord> { AdditionalProperty = a => a.Body }).ToListAsync();

        Assert.Equal([1], byTitle.Select(h => h.Record.Id));
        Assert.Equal([2], byBody.Select(h => h.Record.Id));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => articles.KeywordSearchAsync("rivers", 5).ToListAsync().AsTask());
    }

    [Fact]
    public async Task KeywordSearch_OfACollectionThatDoesNotExist_FailsClearly()
    {
        await _temp.NotesAsync(name: "other");
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => notes.KeywordSearchAsync("anything", 5).ToListAsync().AsTask());

        Assert.Contains("'notes' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeywordSearch_RefusesNullTextNonPositiveTopAndNegativeSkip()
    {
        var notes = await _temp.NotesAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => notes.KeywordSearchAsync(null!, 5).ToListAsync().AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.KeywordSearchAsync("x", 0).ToListAsync().AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.KeywordSearchAsync("x", 1, new HybridSearchOptions<Note> { Skip = -1 }).ToListAsync().AsTask());
    }

    private static VectorStoreCollectionDefinition TextDefinition(bool fullText) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(string)),
            new VectorStoreDataProperty("Text", typeof(string)) { IsFullTextIndexed = fullText },
        ],
    };
}
