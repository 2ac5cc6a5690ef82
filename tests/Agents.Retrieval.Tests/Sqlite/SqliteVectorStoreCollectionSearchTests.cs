using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>Vector search checked against a brute-force reference computed here in double precision.</summary>
public sealed class SqliteVectorStoreCollectionSearchTests : IDisposable
{
    private const int Dimensions = 8;

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> DistanceFunctions =>
    [
        DistanceFunction.CosineSimilarity,
        DistanceFunction.CosineDistance,
        DistanceFunction.DotProductSimilarity,
        DistanceFunction.EuclideanDistance,
        DistanceFunction.EuclideanSquaredDistance,
    ];

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public async Task Search_MatchesBruteForce_IdsAndScores(string function)
    {
        var (collection, notes) = await RandomNotesAsync(function, count: 60);
        var query = RandomVector(new Random(99));

        var hits = await collection.SearchAsync(query, 10).ToListAsync();

        AssertSameRanking(Reference(notes, query, function).Take(10), hits);
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity)]
    [InlineData(DistanceFunction.EuclideanSquaredDistance)]
    public async Task Search_OverACollectionLoadedInTwoHalves_MatchesBruteForce(string function)
    {
        // Large enough that the vectors load as two halves by row id, side by side; the best two rows are the first and
        // the last, one in each half, so the halves' hits must be merged.
        var (collection, notes) = await RandomNotesAsync(function, count: 25_000);
        var query = RandomVector(new Random(5));
        notes[0].Vector = query.Select(x => x * 1.01f).ToArray();
        notes[^1].Vector = query.Select((x, i) => i == 0 ? x + 0.01f : x).ToArray();
        await collection.UpsertAsync([notes[0], notes[^1]]);

        var hits = await collection.SearchAsync(query, 10).ToListAsync();
        var filtered = await collection.SearchAsync(query, 5, new() { Filter = n => n.Source == "odd" }).ToListAsync();

        AssertSameRanking(Reference(notes, query, function).Take(10), hits);
        Assert.Equal([notes[0].Id, notes[^1].Id], hits.Take(2).Select(h => h.Record.Id).Order());
        AssertSameRanking(Reference(notes.Where(n => n.Source == "odd"), query, function).Take(5), filtered);
    }

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public async Task Search_SkipsTheFirstHits(string function)
    {
        var (collection, notes) = await RandomNotesAsync(function, count: 30);
        var query = RandomVector(new Random(7));

        var hits = await collection.SearchAsync(query, 4, new VectorSearchOptions<Note> { Skip = 3 }).ToListAsync();

        AssertSameRanking(Reference(notes, query, function).Skip(3).Take(4), hits);
    }

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public async Task ScoreThreshold_KeepsSimilaritiesAtLeastAndDistancesAtMostTheThreshold(string function)
    {
        var (collection, notes) = await RandomNotesAsync(function, count: 30);
        var query = RandomVector(new Random(11));
        var reference = Reference(notes, query, function);

        // Halfway between the 5th and 6th scores, so float rounding cannot move a hit across it.
        var threshold = (reference[4].Score + reference[5].Score) / 2;
        var hits = await collection.SearchAsync(query, 20, new VectorSearchOptions<Note> { ScoreThreshold = threshold }).ToListAsync();

        AssertSameRanking(reference.Take(5), hits);
    }

    [Theory]
    [MemberData(nameof(DistanceFunctions))]
    public async Task Filter_RestrictsTheCandidates(string function)
    {
        var (collection, notes) = await RandomNotesAsync(function, count: 40);
        var query = RandomVector(new Random(3));

        var hits = await collection.SearchAsync(query, 5, new VectorSearchOptions<Note> { Filter = n => n.Rank < 10 || n.Source == "odd" }).ToListAsync();

        AssertSameRanking(Reference(notes.Where(n => n.Rank < 10 || n.Source == "odd"), query, function).Take(5), hits);
    }

    [Fact]
    public async Task Filter_MatchingNothing_FindsNothing()
    {
        var (collection, _) = await RandomNotesAsync(DistanceFunction.CosineSimilarity, count: 10);

        Assert.Empty(await collection.SearchAsync(RandomVector(new Random(1)), 5, new VectorSearchOptions<Note> { Filter = n => n.Rank > 1000 }).ToListAsync());
    }

    [Fact]
    public async Task TopBeyondTheCount_ReturnsEveryRecordWithAVector()
    {
        var (collection, notes) = await RandomNotesAsync(DistanceFunction.EuclideanDistance, count: 12);
        await collection.UpsertAsync(Note.Of("no-vector", "has no vector"));
        var query = RandomVector(new Random(5));

        var hits = await collection.SearchAsync(query, 1000).ToListAsync();

        AssertSameRanking(Reference(notes, query, DistanceFunction.EuclideanDistance), hits);
    }

    [Fact]
    public async Task TopOfIntMaxValue_WithSkip_ReturnsAllButTheSkipped()
    {
        var (collection, notes) = await RandomNotesAsync(DistanceFunction.CosineSimilarity, count: 10);
        var query = RandomVector(new Random(8));

        var all = await collection.SearchAsync(query, int.MaxValue).ToListAsync();
        var skipped = await collection.SearchAsync(query, int.MaxValue, new VectorSearchOptions<Note> { Skip = 3 }).ToListAsync();

        AssertSameRanking(Reference(notes, query, DistanceFunction.CosineSimilarity), all);
        AssertSameRanking(Reference(notes, query, DistanceFunction.CosineSimilarity).Skip(3), skipped);
    }

    [Fact]
    public async Task EmptyCollection_FindsNothing()
    {
        var notes = await _temp.NotesAsync();

        Assert.Empty(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync());
        Assert.Empty(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, new VectorSearchOptions<Note> { Filter = n => n.Rank == 0 }).ToListAsync());
        Assert.Empty(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, int.MaxValue).ToListAsync());
    }

    [Fact]
    public async Task ZeroVectors_ScoreZeroNotNaN()
    {
        var notes = await _temp.NotesAsync([Note.Of("zero", "zero", 0, 0, 0, 0), Note.Of("x", "x", 1, 0, 0, 0)]);

        var byZeroQuery = await notes.SearchAsync(new float[] { 0, 0, 0, 0 }, 5).ToListAsync();
        var byRealQuery = await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync();

        Assert.All(byZeroQuery, h => Assert.Equal(0d, h.Score));
        Assert.Equal(["x", "zero"], byRealQuery.Select(h => h.Record.Id));
        Assert.Equal(0d, byRealQuery[1].Score);
    }

    [Fact]
    public async Task QueryForms_FloatArrayReadOnlyMemoryAndEmbedding_AgreeWithEachOther()
    {
        var (collection, notes) = await RandomNotesAsync(DistanceFunction.CosineSimilarity, count: 20);
        var query = RandomVector(new Random(21));
        var reference = Reference(notes, query, DistanceFunction.CosineSimilarity).Take(5);

        AssertSameRanking(reference, await collection.SearchAsync(query, 5).ToListAsync());
        AssertSameRanking(reference, await collection.SearchAsync(new ReadOnlyMemory<float>(query), 5).ToListAsync());
        AssertSameRanking(reference, await collection.SearchAsync(new Embedding<float>(query), 5).ToListAsync());
    }

    [Fact]
    public async Task TextQuery_WithoutAGenerator_IsRefused()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        await Assert.ThrowsAsync<NotSupportedException>(() => notes.SearchAsync("alpha", 5).ToListAsync().AsTask());
    }

    [Fact]
    public async Task TextQuery_IsEmbeddedWithTheStoresGenerator()
    {
        var generator = new WordHashEmbeddingGenerator(4);
        using var temp = new TempStore(new SqliteVectorStoreOptions { EmbeddingGenerator = generator });
        var notes = await temp.NotesAsync(
        [
            new Note { Id = "apple", Text = "apple", Vector = generator.Embed("apple") },
            new Note { Id = "pear", Text = "pear", Vector = generator.Embed("pear") },
        ]);

        var hit = await notes.SearchAsync("apple", 1).SingleAsync();

        Assert.Equal("apple", hit.Record.Id);
        Assert.Equal(1d, hit.Score!.Value, 5);
        Assert.Equal(1, generator.TextsEmbedded);
    }

    [Fact]
    public async Task TextQuery_IsEmbeddedWithTheDefinitionsGenerator()
    {
        var generator = new WordHashEmbeddingGenerator(4);
        var definition = Note.Definition(4, DistanceFunction.CosineSimilarity);
        definition.EmbeddingGenerator = generator;
        var notes = _temp.Store.GetCollection<string, Note>("notes", definition);
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync([new Note { Id = "apple", Text = "apple", Vector = generator.Embed("apple") }, new Note { Id = "pear", Text = "pear", Vector = generator.Embed("pear") }]);

        var hit = await notes.SearchAsync("pear", 1).SingleAsync();

        Assert.Equal("pear", hit.Record.Id);
        Assert.Equal(1, generator.TextsEmbedded);
    }

    [Fact]
    public async Task TextVectorProperty_IsEmbeddedOnUpsertAndSearchedByText()
    {
        var generator = new WordHashEmbeddingGenerator(16);
        using var temp = new TempStore(new SqliteVectorStoreOptions { EmbeddingGenerator = generator });
        var collection = temp.Store.GetCollection<string, GeneratedVectorRecord>("generated");
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(
        [
            new GeneratedVectorRecord { Id = "fruit", Text = "apples and pears", Embedding = "apples and pears" },
            new GeneratedVectorRecord { Id = "cars", Text = "engines and wheels", Embedding = "engines and wheels" },
        ]);
        var hits = await collection.SearchAsync("wheels engines", 3).ToListAsync();

        Assert.Equal("cars", hits[0].Record.Id);
        Assert.Equal(CosineOf(generator.Embed("wheels engines"), generator.Embed("engines and wheels")), hits[0].Score!.Value, 5);
        Assert.Equal(2, hits.Count);
        await Assert.ThrowsAsync<NotSupportedException>(() => collection.GetAsync("fruit", new RecordRetrievalOptions { IncludeVectors = true }));
    }

    [Fact]
    public async Task TwoVectorProperties_AreSearchedByTheSelectedOne()
    {
        var collection = _temp.Store.GetCollection<int, TwoVectorRecord>("two");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new TwoVectorRecord { Id = 1, Title = "one", TitleVector = new float[] { 1, 0 }, BodyVector = [10, 10, 10] },
            new TwoVectorRecord { Id = 2, Title = "two", TitleVector = new float[] { 0, 1 }, BodyVector = [0, 0, 1] },
        ]);

        var byTitle = await collection.SearchAsync(new float[] { 1, 0.1f }, 2, new VectorSearchOptions<TwoVectorRecord> { VectorProperty = r => r.TitleVector }).ToListAsync();
        var byBody = await collection.SearchAsync(new float[] { 0, 0, 0 }, 2, new VectorSearchOptions<TwoVectorRecord> { VectorProperty = r => r.BodyVector }).ToListAsync();

        Assert.Equal([1, 2], byTitle.Select(h => h.Record.Id));
        Assert.Equal([2, 1], byBody.Select(h => h.Record.Id));
        Assert.Equal(1d, byBody[0].Score!.Value, 5);
        Assert.Equal(Math.Sqrt(300), byBody[1].Score!.Value, 4);
        await Assert.ThrowsAnyAsync<Exception>(() => collection.SearchAsync(new float[] { 1, 0 }, 2).ToListAsync().AsTask());
        var wrongSize = await Assert.ThrowsAsync<ArgumentException>(() =>
            collection.SearchAsync(new float[] { 1, 0 }, 2, new VectorSearchOptions<TwoVectorRecord> { VectorProperty = r => r.BodyVector }).ToListAsync().AsTask());
        Assert.Contains("BodyVector", wrongSize.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryOfTheWrongSize_FailsNamingBothSizes()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "alpha", 1, 0, 0, 0)]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => notes.SearchAsync(new float[] { 1, 0, 0 }, 5).ToListAsync().AsTask());

        Assert.Contains("3 dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("4-dimensional", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_RefusesNonPositiveTopAndNegativeSkip()
    {
        var notes = await _temp.NotesAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 0).ToListAsync().AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<Note> { Skip = -1 }).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Search_OfACollectionThatDoesNotExist_FailsClearly()
    {
        await _temp.NotesAsync(name: "other");
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var plain = await Assert.ThrowsAsync<VectorStoreException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync().AsTask());
        var filtered = await Assert.ThrowsAsync<VectorStoreException>(() =>
            notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, new VectorSearchOptions<Note> { Filter = n => n.Rank > 0 }).ToListAsync().AsTask());

        Assert.Contains("'notes' does not exist", plain.Message, StringComparison.Ordinal);
        Assert.Contains("'notes' does not exist", filtered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_InANewFile_FailsClearly()
    {
        var notes = _temp.Store.GetCollection<string, Note>("notes");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync().AsTask());

        Assert.Contains("'notes' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_SeesWritesThroughAnotherCollectionInstance()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "a", 1, 0, 0, 0), Note.Of("b", "b", 0, 1, 0, 0)]);
        Assert.Equal("a", (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).SingleAsync()).Record.Id);
        var other = _temp.Store.GetCollection<string, Note>("notes");

        await other.UpsertAsync(Note.Of("c", "c", 1, 0.01f, 0, 0));
        await other.UpsertAsync(Note.Of("a", "a", -1, 0, 0, 0));

        Assert.Equal(["c", "b", "a"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 3).ToListAsync()).Select(h => h.Record.Id));

        await other.DeleteAsync("c");

        Assert.Equal(["b", "a"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 3).ToListAsync()).Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Cache_SeesWritesThroughAnotherStoreOnTheSameFile()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "a", 1, 0, 0, 0)]);
        Assert.Single(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync());
        var other = _temp.Open().GetCollection<string, Note>("notes");

        await other.UpsertAsync([Note.Of("b", "b", 1, 1, 0, 0), Note.Of("c", "c", 1, 1, 1, 0)]);
        Assert.Equal(["a", "b", "c"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));

        await other.DeleteAsync(["a", "b"]);
        Assert.Equal(["c"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Cache_SeesACollectionDeletedAndRecreatedElsewhere()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "a", 1, 0, 0, 0)]);
        await notes.UpsertAsync(Note.Of("b", "b", 0, 1, 0, 0));
        Assert.Equal(["a", "b"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));

        // The same number of writes after re-creation as before: a version that restarts would look unchanged.
        var other = _temp.Open();
        await other.EnsureCollectionDeletedAsync("notes");
        var recreated = other.GetCollection<string, Note>("notes");
        await recreated.EnsureCollectionExistsAsync();
        await recreated.UpsertAsync(Note.Of("x", "x", 0, 1, 0, 0));
        await recreated.UpsertAsync(Note.Of("y", "y", 1, 0, 0, 0));

        Assert.Equal(["y", "x"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Cache_IsDroppedWhenThisInstanceDeletesTheCollection()
    {
        var notes = await _temp.NotesAsync([Note.Of("a", "a", 1, 0, 0, 0)]);
        Assert.Single(await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync());

        await notes.EnsureCollectionDeletedAsync();
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync(Note.Of("z", "z", 0, 1, 0, 0));

        Assert.Equal(["z"], (await notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 5).ToListAsync()).Select(h => h.Record.Id));
    }

    private static double CosineOf(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    private static float[] RandomVector(Random random) =>
        [.. Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    private static List<(string Id, double Score)> Reference(IEnumerable<Note> notes, float[] query, string function)
    {
        var scored = notes.Where(n => n.Vector is not null).Select(n =>
        {
            var v = n.Vector!.Value.ToArray();
            var score = function switch
            {
                DistanceFunction.CosineSimilarity => CosineOf(query, v),
                DistanceFunction.CosineDistance => 1 - CosineOf(query, v),
                DistanceFunction.DotProductSimilarity => query.Zip(v, (a, b) => (double)a * b).Sum(),
                DistanceFunction.EuclideanDistance => Math.Sqrt(query.Zip(v, (a, b) => ((double)a - b) * ((double)a - b)).Sum()),
                DistanceFunction.EuclideanSquaredDistance => query.Zip(v, (a, b) => ((double)a - b) * ((double)a - b)).Sum(),
                _ => throw new ArgumentOutOfRangeException(nameof(function)),
            };
            return (n.Id, score);
        });
        var higherIsBetter = function is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity;
        return higherIsBetter ? [.. scored.OrderByDescending(s => s.score)] : [.. scored.OrderBy(s => s.score)];
    }

    private static void AssertSameRanking(IEnumerable<(string Id, double Score)> expected, IReadOnlyList<VectorSearchResult<Note>> actual)
    {
        var want = expected.ToList();
        Assert.Equal(want.Select(e => e.Id), actual.Select(a => a.Record.Id));
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i].Score, actual[i].Score!.Value, 1e-4 * Math.Max(1, Math.Abs(want[i].Score)));
        }
    }

    private async Task<(SqliteVectorStoreCollection<string, Note> Collection, List<Note> Notes)> RandomNotesAsync(string function, int count)
    {
        var random = new Random(42);
        var notes = Enumerable.Range(0, count).Select(i => new Note
        {
            Id = $"n{i:000}",
            Text = $"note {i}",
            Rank = i,
            Source = i % 2 == 0 ? "even" : "odd",
            Vector = RandomVector(random),
        }).ToList();
        var collection = _temp.Store.GetCollection<string, Note>("notes", Note.Definition(Dimensions, function));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(notes);
        return (collection, notes);
    }
}
