using System.Linq.Expressions;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>LINQ filters run end to end: each expected id list is what the same predicate selects in memory.</summary>
public sealed class SqliteVectorStoreCollectionFilterTests : IDisposable
{
    private const string Injection = "' OR 1=1 --";

    private static readonly DateTimeOffset Noon = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Note[] Notes =
    [
        new() { Id = "a", Text = "alpha", Source = "a.md", Rank = 1, Published = true, Tags = ["faq", "intro"], Created = Noon.AddHours(-3) },
        new() { Id = "b", Text = "beta", Source = "b.md", Rank = 2, Published = false, Tags = ["faq"], Created = new DateTimeOffset(2024, 6, 1, 16, 0, 0, TimeSpan.FromHours(5)) },
        new() { Id = "c", Text = "gamma", Source = null, Rank = 3, Published = true, Tags = null, Created = new DateTimeOffset(2024, 6, 1, 6, 0, 0, TimeSpan.FromHours(-8)) },
        new() { Id = "d", Text = "delta", Source = Injection, Rank = 4, Published = false, Tags = [Injection], Created = Noon.AddDays(1) },
        new() { Id = "e", Text = "epsilon", Source = "a.md", Rank = 5, Published = true, Tags = [], Created = Noon },
    ];

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, Expression<Func<Note, bool>>> Filters()
    {
        var captured = "b.md";
        var sources = new[] { "a.md", "b.md" };
        var sourceList = new List<string?> { "b.md", Injection };
        var cutoff = new DateTimeOffset(2024, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)); // 11:00 UTC
        return new()
        {
            { "equal", n => n.Rank == 3 },
            { "not equal", n => n.Rank != 3 },
            { "less", n => n.Rank < 3 },
            { "less or equal", n => n.Rank <= 3 },
            { "greater", n => n.Rank > 3 },
            { "greater or equal", n => n.Rank >= 3 },
            { "constant on the left", n => 3 < n.Rank },
            { "and", n => n.Rank > 1 && n.Source == "a.md" },
            { "or", n => n.Rank == 1 || n.Source == "b.md" },
            { "not", n => !(n.Rank > 2) },
            { "nested", n => (n.Rank == 1 || n.Rank == 4) && !(n.Source == "a.md") },
            { "bool bare", n => n.Published },
            { "bool negated", n => !n.Published },
            { "bool compared", n => n.Published == false },
            { "bool in and", n => n.Published && n.Rank > 2 },
            { "bool in or", n => n.Published || n.Rank == 2 },
            { "is null", n => n.Source == null },
            { "is not null", n => n.Source != null },
            { "null on the left", n => null == n.Source },
            { "captured variable", n => n.Source == captured },
            { "key", n => n.Id == "c" },
            { "array contains property", n => sources.Contains(n.Source) },
            { "list contains property", n => sourceList.Contains(n.Source) },
            { "tags contain", n => n.Tags!.Contains("faq") },
            { "tags contain and", n => n.Tags!.Contains("faq") && n.Tags.Contains("intro") },
            { "date after", n => n.Created > cutoff },
            { "date on or before", n => n.Created <= Noon },
            { "sql in a value", n => n.Source == Injection },
            { "sql in a tag", n => n.Tags!.Contains(Injection) },
            { "sql in a list", n => sourceList.Contains(n.Source) && n.Rank > 2 },
            { "always", n => true },
            { "never", n => false },
        };
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filter_SelectsWhatThePredicateSelectsInMemory(string name, Expression<Func<Note, bool>> filter)
    {
        var notes = await _temp.NotesAsync(Notes);
        var predicate = filter.Compile();

        var found = await notes.GetAsync(filter, 100).ToListAsync();

        Assert.True(
            Notes.Where(n => SafeInvoke(predicate, n)).Select(n => n.Id).SequenceEqual(found.Select(n => n.Id)),
            $"{name}: expected [{string.Join(", ", Notes.Where(n => SafeInvoke(predicate, n)).Select(n => n.Id))}] but got [{string.Join(", ", found.Select(n => n.Id))}]");
    }

    [Fact]
    public async Task CapturedVariables_AreReadWhenTheFilterRuns()
    {
        var notes = await _temp.NotesAsync(Notes);
        var rank = 1;
        Expression<Func<Note, bool>> filter = n => n.Rank == rank;

        var first = await notes.GetAsync(filter, 10).SingleAsync();
        rank = 4;
        var second = await notes.GetAsync(filter, 10).SingleAsync();

        Assert.Equal("a", first.Id);
        Assert.Equal("d", second.Id);
    }

    [Fact]
    public async Task ContainsOfAnEmptyList_SelectsNothing()
    {
        var notes = await _temp.NotesAsync(Notes);
        var none = Array.Empty<string>();

        Assert.Empty(await notes.GetAsync(n => none.Contains(n.Source), 10).ToListAsync());
        Assert.Equal(5, await notes.GetAsync(n => !none.Contains(n.Source), 10).CountAsync());
    }

    [Fact]
    public async Task SqlInAValue_IsComparedAsData()
    {
        var notes = await _temp.NotesAsync(Notes);

        Assert.Empty(await notes.GetAsync(n => n.Source == "x' OR '1'='1", 10).ToListAsync());
        Assert.Empty(await notes.GetAsync(n => n.Source == "a.md\" OR 1=1 --", 10).ToListAsync());
        Assert.Empty(await notes.GetAsync(n => n.Source == "$f0", 10).ToListAsync());
        Assert.Equal(5, await notes.GetAsync(n => true, 10).CountAsync());
    }

    [Fact]
    public async Task NullableAndNumericComparisons_MatchInMemory()
    {
        var collection = _temp.Store.GetCollection<Guid, AllTypesRecord>("all");
        await collection.EnsureCollectionExistsAsync();
        var wanted = Guid.NewGuid();
        var records = new[]
        {
            new AllTypesRecord { Id = Guid.NewGuid(), NullableInt = 5, Double = 0.25, Float = 1.5f, Long = 10_000_000_000, Guid = wanted, When = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            new AllTypesRecord { Id = Guid.NewGuid(), NullableInt = null, Double = 0.75, Float = -1.5f, Long = 1, When = new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc), TagList = ["x", "y"] },
            new AllTypesRecord { Id = Guid.NewGuid(), NullableInt = 1, Double = 0.5, Float = 0, Long = -10_000_000_000, NullableBool = true },
        };
        await collection.UpsertAsync(records);
        var since = new DateTime(2020, 6, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal([records[0].Id], await Ids(r => r.NullableInt > 3));
        Assert.Equal([records[1].Id], await Ids(r => r.NullableInt == null));
        Assert.Equal([records[1].Id, records[2].Id], await Ids(r => r.Double >= 0.5));
        Assert.Equal([records[1].Id], await Ids(r => r.Float < 0));
        Assert.Equal([records[0].Id], await Ids(r => r.Long > int.MaxValue));
        Assert.Equal([records[0].Id], await Ids(r => r.Guid == wanted));
        Assert.Equal([records[1].Id], await Ids(r => r.When > since));
        Assert.Equal([records[2].Id], await Ids(r => r.NullableBool == true));
        Assert.Equal([records[1].Id], await Ids(r => r.TagList!.Contains("y")));

        async Task<Guid[]> Ids(Expression<Func<AllTypesRecord, bool>> filter) =>
            [.. (await collection.GetAsync(filter, 10).ToListAsync()).Select(r => r.Id).OrderBy(id => Array.FindIndex(records, r => r.Id == id))];
    }

    [Fact]
    public async Task UnsupportedFilterParts_FailNamingThePart()
    {
        var notes = await _temp.NotesAsync(Notes);

        var startsWith = await Assert.ThrowsAsync<NotSupportedException>(() => notes.GetAsync(n => n.Text.StartsWith("al"), 10).ToListAsync().AsTask());
        var arithmetic = await Assert.ThrowsAsync<NotSupportedException>(() => notes.GetAsync(n => n.Rank + 1 > 2, 10).ToListAsync().AsTask());
        var length = await Assert.ThrowsAsync<NotSupportedException>(() => notes.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new() { Filter = n => n.Text.Length > 2 }).ToListAsync().AsTask());

        Assert.Contains("StartsWith", startsWith.Message, StringComparison.Ordinal);
        Assert.Contains("+", arithmetic.Message, StringComparison.Ordinal);
        Assert.Contains("Length", length.Message, StringComparison.Ordinal);
    }

    // In memory a null Tags list throws where SQL simply does not match: count that as not selected.
    private static bool SafeInvoke(Func<Note, bool> predicate, Note note)
    {
        try
        {
            return predicate(note);
        }
        catch (ArgumentNullException)
        {
            return false;
        }
    }
}
