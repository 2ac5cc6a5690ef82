using Microsoft.Data.Sqlite;

namespace Agents.Retrieval.Tests;

public sealed class DocumentStoreTests : IDisposable
{
    private readonly DocumentStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(DocumentSearchMode.Hybrid)]
    [InlineData(DocumentSearchMode.Vector)]
    [InlineData(DocumentSearchMode.Keyword)]
    public async Task Every_hit_carries_its_citable_id_source_position_score_and_text(DocumentSearchMode mode)
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "guide.md", "Welcome.", "To reset a forgotten password, open the account page.");
        await _fixture.WriteAsync(store, "pets.md", "Feed a puppy three meals a day.");

        var hits = await store.SearchAsync("password reset", 2, mode);

        var best = hits[0];
        Assert.Equal("guide.md#1", best.Id);
        Assert.Equal("guide.md", best.Source);
        Assert.Equal("Section 1", best.Position);
        Assert.Equal("To reset a forgotten password, open the account page.", best.Text);
        Assert.True(best.Score > 0);
        Assert.True(hits.Count <= 2);
    }

    [Fact]
    public async Task Rewriting_a_document_replaces_all_its_passages_and_leaves_others_alone()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "a.md", "alpha one", "alpha two", "alpha three");
        await _fixture.WriteAsync(store, "b.md", "bravo one");

        await _fixture.WriteAsync(store, "a.md", "alpha rewritten");

        Assert.Equal(new DocumentStoreStatistics(2, 2, ConceptEmbeddingGenerator.ModelId, ConceptEmbeddingGenerator.Dimensions), await store.GetStatisticsAsync());
        var alpha = await store.SearchAsync("alpha", 10, DocumentSearchMode.Keyword);
        Assert.Equal(["a.md#0"], alpha.Select(h => h.Id));
        Assert.Equal("alpha rewritten", alpha[0].Text);
        Assert.Equal(1, (await store.GetDocumentAsync("a.md"))!.Chunks);
        Assert.Single(await store.SearchAsync("bravo", 10, DocumentSearchMode.Keyword));
        Assert.Equal(2, await CountRowsAsync(store.Path, "chunks"));
    }

    [Fact]
    public async Task Removing_a_document_removes_its_passages()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "a.md", "alpha one", "alpha two");

        Assert.True(await store.RemoveDocumentAsync("a.md"));
        Assert.False(await store.RemoveDocumentAsync("a.md"));

        Assert.Empty(await store.SearchAsync("alpha", 10, DocumentSearchMode.Hybrid));
        Assert.Equal(0, (await store.GetStatisticsAsync()).Chunks);
        Assert.Null(await store.GetDocumentAsync("a.md"));
    }

    [Fact]
    public async Task The_store_records_its_embedding_model_and_refuses_another()
    {
        using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, "a.md", "text");
        }

        var error = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => DocumentStore.OpenAsync(
            _fixture.PathOf("docs.db"),
            new DocumentStoreOptions { EmbeddingGenerator = _fixture.Embeddings, EmbeddingModelId = "text-embedding-3-small" }));

        Assert.Contains("built with embedding model 'concepts-test'", error.Message);
        Assert.Contains($"({ConceptEmbeddingGenerator.Dimensions} dimensions)", error.Message);
        Assert.Contains("'text-embedding-3-small' was given", error.Message);
    }

    [Fact]
    public async Task Passages_of_another_size_than_the_store_are_refused_and_nothing_is_written()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "a.md", "first");
        var wrong = new DocumentChunk { Id = "b.md#0", Source = "b.md", Text = "second", Embedding = new float[3] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteDocumentAsync(new StoredDocument("b.md", "h", null, 1, 1, DateTimeOffset.UnixEpoch), [wrong]));

        Assert.Contains("3-dimensional", error.Message);
        Assert.Contains($"stores {ConceptEmbeddingGenerator.Dimensions} dimensions", error.Message);
        Assert.Null(await store.GetDocumentAsync("b.md"));
        Assert.Equal(1, (await store.GetStatisticsAsync()).Chunks);
    }

    [Fact]
    public async Task Keyword_search_needs_no_embedding_model_but_vector_search_says_which_one_it_needs()
    {
        using (var writer = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(writer, "a.md", "the backup runs nightly");
        }

        using var store = await _fixture.OpenAsync(withEmbeddings: false, create: false);

        Assert.Single(await store.SearchAsync("backup", 5, DocumentSearchMode.Keyword));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SearchAsync("backup", 5, DocumentSearchMode.Hybrid));
        Assert.Contains("'concepts-test'", error.Message);
        Assert.Contains("keyword", error.Message);
    }

    [Theory]
    [InlineData("NEAR(backup nightly)")]
    [InlineData("backup*")]
    [InlineData("\"unbalanced")]
    [InlineData("text: backup")]
    [InlineData("backup AND OR NOT -nightly ^x (")]
    [InlineData("'; DROP TABLE chunks; --")]
    public async Task Query_syntax_in_user_text_is_searched_as_words_never_run(string query)
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "a.md", "the backup runs nightly", "unrelated words here");

        foreach (var mode in Enum.GetValues<DocumentSearchMode>())
        {
            var hits = await store.SearchAsync(query, 5, mode);
            Assert.All(hits, h => Assert.StartsWith("a.md#", h.Id));
        }

        Assert.Equal(2, (await store.GetStatisticsAsync()).Chunks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    public async Task An_empty_query_is_a_clear_error(string query)
    {
        using var store = await _fixture.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(query, 5, DocumentSearchMode.Keyword));

        Assert.Contains("The search query is empty", error.Message);
    }

    [Fact]
    public async Task A_megabyte_query_is_refused_before_any_embedding_is_made()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "a.md", "text");
        var calls = _fixture.Embeddings.Calls;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new string('x', 1 << 20), 5, DocumentSearchMode.Hybrid));

        Assert.Contains("1,048,576 characters", error.Message);
        Assert.Contains("the limit is 4,096", error.Message);
        Assert.Equal(calls, _fixture.Embeddings.Calls);
    }

    [Fact]
    public async Task An_empty_store_finds_nothing()
    {
        using var store = await _fixture.OpenAsync();

        Assert.Empty(await store.SearchAsync("anything", 5, DocumentSearchMode.Hybrid));
        Assert.Equal(new DocumentStoreStatistics(0, 0, null, null), await store.GetStatisticsAsync());
    }

    [Fact]
    public async Task Opening_what_is_not_a_store_fails_with_one_clear_sentence()
    {
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => _fixture.OpenAsync("missing.db", create: false));
        Assert.Contains("agents ingest", missing.Message);

        await File.WriteAllTextAsync(_fixture.PathOf("notes.txt"), "just some text, not a database at all, long enough to have a header");
        var garbage = await Assert.ThrowsAsync<InvalidDataException>(() => _fixture.OpenAsync("notes.txt", create: false));
        Assert.Contains("is not a document store", garbage.Message);

        using (var store = await _fixture.OpenAsync("future.db"))
        {
        }

        await using (var connection = new SqliteConnection($"Data Source={_fixture.PathOf("future.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            using var bump = connection.CreateCommand();
            bump.CommandText = "PRAGMA user_version = 99";
            await bump.ExecuteNonQueryAsync();
        }

        var future = await Assert.ThrowsAsync<InvalidDataException>(() => _fixture.OpenAsync("future.db", create: false));
        Assert.Contains("newer version", future.Message);
    }

    [Fact]
    public async Task Passages_are_a_vector_data_collection_that_code_written_for_any_connector_can_search()
    {
        using var store = await _fixture.OpenAsync();
        await _fixture.WriteAsync(store, "pets.md", "Feed a puppy three meals a day.", "Kittens eat small meals.");
        var query = (await _fixture.Embeddings.GenerateAsync(["dog food"]))[0].Vector;

        var hits = new List<string>();
        await foreach (var hit in store.Chunks!.SearchAsync(query, 1, new() { Filter = c => c.Source == "pets.md" }))
        {
            hits.Add(hit.Record.Id);
        }

        Assert.Equal(["pets.md#0"], hits);
    }

    private static async Task<long> CountRowsAsync(string path, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
