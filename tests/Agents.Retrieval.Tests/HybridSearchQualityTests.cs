using System.Globalization;
using Xunit.Abstractions;

namespace Agents.Retrieval.Tests;

/// <summary>
/// A small labelled set where meaning and exact tokens both matter: questions phrased with synonyms only vector
/// search answers, questions about codes and names only keyword search answers. Hybrid must beat each alone.
/// </summary>
public sealed class HybridSearchQualityTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Passages =
    [
        "How to fix your automobile when the engine will not start.",
        "Vehicle servicing: an oil change takes an hour.",
        "Error E4012 appears when the disk quota is exceeded.",
        "Error E7730 means the license file is missing.",
        "To reset a forgotten passphrase, open the account page and choose recover.",
        "Setup guide: installation on Linux with apt.",
        "Uninstall the agent with the remove command.",
        "Invoices are sent monthly; each bill lists the fees.",
        "Refunds: we reimburse the money back within 14 days.",
        "Delivery of a parcel takes 3 days; shipping is free over 50 euros.",
        "If the app is sluggish, check the latency to the server.",
        "Puppy diet: feed a young canine three meals a day.",
        "Kitten nutrition: a young feline eats small meals.",
        "Snapshot and archive your data nightly with the backup tool.",
        "Customer ZX-81 reported that the crash happens at startup.",
        "Order number 99812 was delayed by the carrier.",
    ];

    private static readonly (string Query, int Relevant)[] Labelled =
    [
        ("my car will not go, how do I repair it", 0),
        ("E4012", 2),
        ("what does E7730 mean", 3),
        ("I forgot my password", 4),
        ("how much does shipping cost", 9),
        ("remove the software", 6),
        ("can I get my money back", 8),
        ("ZX-81 startup problem", 14),
        ("what should a dog eat", 11),
        ("the program has lag", 10),
        ("status of 99812", 15),
        ("nightly copy of my data", 13),
        ("installing on linux", 5),
        ("monthly receipt", 7),
    ];

    private readonly DocumentStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Hybrid_ranks_the_relevant_passage_higher_than_vector_or_keyword_search_alone()
    {
        using var store = await _fixture.OpenAsync();
        for (var i = 0; i < Passages.Length; i++)
        {
            await _fixture.WriteAsync(store, $"doc{i}.md", Passages[i]);
        }

        var mrr = new Dictionary<DocumentSearchMode, double>();
        foreach (var mode in Enum.GetValues<DocumentSearchMode>())
        {
            var reciprocalRanks = 0d;
            foreach (var (query, relevant) in Labelled)
            {
                var hits = await store.SearchAsync(query, 5, mode);
                var rank = hits.Select(h => h.Source).ToList().IndexOf($"doc{relevant}.md");
                reciprocalRanks += rank < 0 ? 0 : 1d / (rank + 1);
            }

            mrr[mode] = reciprocalRanks / Labelled.Length;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: MRR@5 {mrr[mode]:0.000}"));
        }

        Assert.True(mrr[DocumentSearchMode.Hybrid] > mrr[DocumentSearchMode.Vector], $"hybrid {mrr[DocumentSearchMode.Hybrid]:0.000} vs vector {mrr[DocumentSearchMode.Vector]:0.000}");
        Assert.True(mrr[DocumentSearchMode.Hybrid] > mrr[DocumentSearchMode.Keyword], $"hybrid {mrr[DocumentSearchMode.Hybrid]:0.000} vs keyword {mrr[DocumentSearchMode.Keyword]:0.000}");
    }
}
