using Microsoft.Extensions.AI;

namespace Agents.Retrieval.Tests;

/// <summary>
/// A deterministic stand-in for a semantic embedding model: words map to concepts (car, automobile and vehicle are
/// one concept), and a text's vector counts its concepts. It knows meaning but not rare tokens (error codes,
/// names), which is exactly where keyword search has to help, so hybrid ranking can be tested against both sides.
/// </summary>
internal sealed class ConceptEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "concepts-test";

    private static readonly string[][] Concepts =
    [
        ["car", "cars", "automobile", "automobiles", "vehicle", "vehicles"],
        ["repair", "fix", "fixing", "mend", "service", "servicing"],
        ["price", "prices", "cost", "costs", "fee", "fees", "expensive", "cheap"],
        ["install", "installing", "installation", "setup", "set"],
        ["delete", "remove", "removing", "erase", "uninstall"],
        ["password", "passwords", "credential", "credentials", "login", "passphrase"],
        ["reset", "recover", "recovery", "restore", "forgot"],
        ["invoice", "invoices", "bill", "bills", "billing", "receipt"],
        ["refund", "refunds", "reimburse", "reimbursement", "money", "back"],
        ["ship", "shipping", "delivery", "deliver", "parcel", "package"],
        ["slow", "slowly", "latency", "lag", "sluggish", "performance"],
        ["crash", "crashes", "crashed", "failure", "fails", "error", "errors"],
        ["dog", "dogs", "puppy", "canine", "hound"],
        ["cat", "cats", "kitten", "feline"],
        ["food", "feed", "feeding", "meal", "diet", "eat"],
        ["backup", "backups", "copy", "snapshot", "archive"],
    ];

    private static readonly Dictionary<string, int> ConceptOf = Concepts
        .SelectMany((words, concept) => words.Select(w => (w, concept)))
        .ToDictionary(p => p.w, p => p.concept);

    public static int Dimensions => Concepts.Length + 1;

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls++;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            var vector = new float[Dimensions];

            // A constant component keeps texts without any known concept from being zero vectors.
            vector[^1] = 0.05f;
            foreach (var word in value.ToLowerInvariant().Split([' ', '.', ',', '?', '!', ':', ';', '\n', '(', ')', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
            {
                if (ConceptOf.TryGetValue(word, out var concept))
                {
                    vector[concept] += 1;
                }
            }

            embeddings.Add(new Embedding<float>(vector) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("concepts", null, ModelId, Dimensions) : null;

    public void Dispose()
    {
    }
}
