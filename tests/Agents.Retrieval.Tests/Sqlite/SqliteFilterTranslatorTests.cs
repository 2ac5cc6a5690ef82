// The translator takes VectorData's experimental provider model (MEVD9001); building one is what these tests are about.
#pragma warning disable MEVD9001

using System.Linq.Expressions;
using Agents.Retrieval.Sqlite;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace Agents.Retrieval.Tests.Sqlite;

/// <summary>The SQL the translator writes: values always as parameters, columns always quoted.</summary>
public sealed class SqliteFilterTranslatorTests
{
    private static readonly CollectionModel NoteModel = new SqliteModelBuilder().Build(typeof(Note), typeof(string), null, null);

    [Fact]
    public void Values_TravelAsParametersNeverAsSql()
    {
        var (clause, parameters) = Translate(n => n.Source == "' OR 1=1 --" || n.Text == "\"; DROP TABLE notes; --");

        Assert.Equal("((\"Source\" = $f0) OR (\"Text\" = $f1))", clause);
        Assert.Equal(["' OR 1=1 --", "\"; DROP TABLE notes; --"], parameters.Select(p => p.Value));
        Assert.DoesNotContain("DROP", clause, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparisons_MapToSqlOperators()
    {
        var (clause, parameters) = Translate(n => n.Rank == 1 && n.Rank != 2 && n.Rank < 3 && n.Rank <= 4 && n.Rank > 5 && n.Rank >= 6);

        Assert.Equal(
            "((((((\"Rank\" = $f0) AND (\"Rank\" <> $f1)) AND (\"Rank\" < $f2)) AND (\"Rank\" <= $f3)) AND (\"Rank\" > $f4)) AND (\"Rank\" >= $f5))",
            clause);
        Assert.Equal([1, 2, 3, 4, 5, 6], parameters.Select(p => Convert.ToInt32(p.Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void BoolProperties_AreConditionsAloneAndValuesInComparisons()
    {
        Assert.Equal("(\"Published\" = 1)", Translate(n => n.Published).Clause);
        Assert.Equal("(NOT (\"Published\" = 1))", Translate(n => !n.Published).Clause);

        var (clause, parameters) = Translate(n => n.Published == false);
        Assert.Equal("(\"Published\" = $f0)", clause);
        Assert.Equal(0L, Assert.Single(parameters).Value);
    }

    [Fact]
    public void NullComparisons_BecomeIsNull()
    {
        Assert.Equal("(\"Source\" IS NULL)", Translate(n => n.Source == null).Clause);
        Assert.Equal("(\"Source\" IS NOT NULL)", Translate(n => null != n.Source).Clause);
        Assert.Empty(Translate(n => n.Source == null).Parameters);
    }

    [Fact]
    public void ANullCapturedVariable_BecomesIsNull()
    {
        string? source = null;

        Assert.Equal("(\"Source\" IS NULL)", Translate(n => n.Source == source).Clause);
    }

    [Fact]
    public void CapturedVariables_AreParametersWithTheirValue()
    {
        var wanted = "b.md";

        var (clause, parameters) = Translate(n => n.Source == wanted);

        Assert.Equal("(\"Source\" = $f0)", clause);
        Assert.Equal("b.md", Assert.Single(parameters).Value);
    }

    [Fact]
    public void ListContainsProperty_BecomesInWithOneParameterPerValue()
    {
        var sources = new[] { "a.md", "b'.md" };

        var (clause, parameters) = Translate(n => sources.Contains(n.Source));

        Assert.Equal("(\"Source\" IN ($f0, $f1))", clause);
        Assert.Equal(["a.md", "b'.md"], parameters.Select(p => p.Value));
    }

    [Fact]
    public void ContainsOfAnEmptyList_IsFalseAndItsNegationTrue()
    {
        var none = new List<string>();

        Assert.Equal("0", Translate(n => none.Contains(n.Source!)).Clause);
        Assert.Equal("(NOT 0)", Translate(n => !none.Contains(n.Source!)).Clause);
    }

    [Fact]
    public void TagsContainValue_SearchesTheJsonArray()
    {
        var (clause, parameters) = Translate(n => n.Tags!.Contains("faq"));

        Assert.Equal("(EXISTS (SELECT 1 FROM json_each(\"Tags\") WHERE value = $f0))", clause);
        Assert.Equal("faq", Assert.Single(parameters).Value);
    }

    [Fact]
    public void Dates_AreComparedAsUtcRoundTripText()
    {
        var cutoff = new DateTimeOffset(2024, 6, 1, 14, 0, 0, TimeSpan.FromHours(2));

        var (_, parameters) = Translate(n => n.Created >= cutoff);

        Assert.Equal("2024-06-01T12:00:00.0000000Z", Assert.Single(parameters).Value);
    }

    [Fact]
    public void StorageNames_AreQuoted()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(Note.Source), typeof(string)) { StorageName = "so\"urce" },
            ],
        };
        var model = new SqliteModelBuilder().Build(typeof(Note), typeof(string), definition, null);

        var (clause, _) = SqliteFilterTranslator.Translate((Expression<Func<Note, bool>>)(n => n.Source == "x"), model);

        Assert.Equal("(\"so\"\"urce\" = $f0)", clause);
    }

    [Fact]
    public void UnsupportedParts_FailNamingThePart()
    {
        var startsWith = Assert.Throws<NotSupportedException>(() => Translate(n => n.Text.StartsWith("a")));
        var toUpper = Assert.Throws<NotSupportedException>(() => Translate(n => n.Text.ToUpperInvariant() == "A"));
        var arithmetic = Assert.Throws<NotSupportedException>(() => Translate(n => n.Rank * 2 == 4));

        Assert.Contains("StartsWith", startsWith.Message, StringComparison.Ordinal);
        Assert.Contains("ToUpperInvariant", toUpper.Message, StringComparison.Ordinal);
        Assert.Contains("*", arithmetic.Message, StringComparison.Ordinal);
    }

    private static (string Clause, IReadOnlyList<Microsoft.Data.Sqlite.SqliteParameter> Parameters) Translate(Expression<Func<Note, bool>> filter) =>
        SqliteFilterTranslator.Translate(filter, NoteModel);
}
