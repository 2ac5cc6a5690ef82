using Agents.Recipes;

namespace Agents.Tests.Recipes;

public sealed class RecipeLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agents-recipe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task LoadsEveryFieldFromAFile()
    {
        var path = Path.Combine(_folder, "full.yaml");
        await File.WriteAllTextAsync(path, """
            kind: Prompt
            name: clock
            description: Tells the time
            instructions: |
              Use current_time.
            model:
              id: gpt-test
              provider: openai
              connection: { endpoint: "http://127.0.0.1:5000/v1", apiKey: secret }
              options: { temperature: 0.2, topP: 0.9, maxOutputTokens: 800, stop: [END, STOP], contextWindow: 8192 }
            limits: { maxSteps: 4, maxToolCalls: 3, timeoutSeconds: 30, maxTotalTokens: 5000 }
            memory: { store: data/sessions.db, maxContextTokens: 6000 }
            tools:
              - kind: currentTime
            """);

        var recipe = await RecipeLoader.LoadAsync(path);

        Assert.Equal(Path.GetFullPath(path), recipe.SourcePath);
        Assert.Equal("clock", recipe.Name);
        Assert.Equal("Tells the time", recipe.Description);
        Assert.Equal("Use current_time.\n", recipe.Instructions);
        Assert.Equal("gpt-test", recipe.Model.Id);
        Assert.Equal(RecipeModel.OpenAIProvider, recipe.Model.Provider);
        Assert.Equal(new Uri("http://127.0.0.1:5000/v1"), recipe.Model.Endpoint);
        Assert.Equal("secret", recipe.Model.ApiKey);
        Assert.Equal(0.2f, recipe.Model.Options.Temperature);
        Assert.Equal(0.9f, recipe.Model.Options.TopP);
        Assert.Equal(800, recipe.Model.Options.MaxOutputTokens);
        Assert.Equal(["END", "STOP"], recipe.Model.Options.Stop);
        Assert.Equal(8192, recipe.Model.Options.ContextWindow);
        Assert.Equal(new RecipeLimits { MaxSteps = 4, MaxToolCalls = 3, TimeoutSeconds = 30, MaxTotalTokens = 5000 }, recipe.Limits);
        Assert.Equal(Path.Combine(_folder, "data", "sessions.db"), recipe.Memory.Store);
        Assert.Equal(6000, recipe.Memory.MaxContextTokens);
        Assert.Equal([new RecipeTool(RecipeTool.CurrentTimeKind)], recipe.Tools);
    }

    [Fact]
    public async Task ReadsARetrievalToolWithItsStoreResolvedAgainstTheRecipeFolder()
    {
        var path = Path.Combine(_folder, "grounded.yaml");
        await File.WriteAllTextAsync(path, """
            kind: Prompt
            tools:
              - kind: retrieval
                store: data/docs.db
              - { kind: retrieval, store: /srv/other.db, top: 8, mode: keyword, embeddingModel: text-embedding-3-small, retrieveFirst: true }
            """);

        var recipe = await RecipeLoader.LoadAsync(path);

        Assert.Equal(new RecipeRetrieval(Path.Combine(_folder, "data", "docs.db")), recipe.Tools[0].Retrieval);
        Assert.Equal(new RecipeRetrieval("/srv/other.db", 8, "keyword", "text-embedding-3-small", BeforeAnswering: true), recipe.Tools[1].Retrieval);
        Assert.All(recipe.Tools, t => Assert.Equal(RecipeTool.RetrievalKind, t.Kind));
    }

    [Fact]
    public void MinimalRecipeKeepsDefaults()
    {
        var recipe = Parse("kind: Prompt\n");

        Assert.Null(recipe.Model.Id);
        Assert.Equal(RecipeModel.OpenAIProvider, recipe.Model.Provider);
        Assert.Equal(new RecipeLimits(), recipe.Limits);
        Assert.Null(recipe.Memory.Store);
        Assert.Empty(recipe.Tools);
    }

    [Fact]
    public void SubstitutesEnvironmentReferences()
    {
        var env = new Dictionary<string, string> { ["MODEL"] = "llama3.2", ["HOST"] = "127.0.0.1", ["KEY"] = "k-1" };

        var recipe = Parse("""
            kind: Prompt
            name: ${UNSET:-fallback}-${MODEL}
            model:
              id: ${MODEL}
              connection: { endpoint: "http://${HOST}:${PORT:-11434}/v1", apiKey: =Env.KEY }
              options: { temperature: "${TEMP:-0.5}" }
            instructions: ${UNSET}
            """, env);

        Assert.Equal("fallback-llama3.2", recipe.Name);
        Assert.Equal("llama3.2", recipe.Model.Id);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), recipe.Model.Endpoint);
        Assert.Equal("k-1", recipe.Model.ApiKey);
        Assert.Equal(0.5f, recipe.Model.Options.Temperature);
        Assert.Null(recipe.Instructions);
    }

    [Fact]
    public void EvaluatesNothingElse()
    {
        var recipe = Parse("kind: Prompt\nname: =1+1\ndescription: $HOME and =Env.X later\n", new() { ["HOME"] = "/root", ["X"] = "x" });

        Assert.Equal("=1+1", recipe.Name);
        Assert.Equal("$HOME and =Env.X later", recipe.Description);
    }

    [Theory]
    [InlineData("kind: Prompt\nname: [a\n", 3, 1, "")]
    [InlineData("kind: Prompt\n  name: x\n", 2, 7, "")]
    [InlineData("kind: Prompt\nname: a\nname: b\n", 3, 1, "")]
    [InlineData("", 0, 0, "empty")]
    [InlineData("kind: Prompt\n---\nkind: Prompt\n", 3, 1, "one YAML document")]
    [InlineData("- kind: Prompt\n", 1, 1, "must be a mapping")]
    public void MalformedYamlIsOneErrorWithPosition(string yaml, int line, int column, string words)
    {
        var ex = Assert.Throws<RecipeException>(() => Parse(yaml));

        var error = Assert.Single(ex.Errors);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(words, error.Message);
        Assert.DoesNotContain("Idx:", error.Message);
        Assert.StartsWith(line > 0 ? $"recipe.yaml:{line}:{column}: " : "recipe.yaml: ", ex.Message);
    }

    [Theory]
    [InlineData("name: x\n", 1, 1, "missing 'kind: Prompt'")]
    [InlineData("kind: Agent\n", 1, 7, "use 'kind: Prompt'")]
    [InlineData("kind: Prompt\nnmae: x\n", 2, 1, "unknown field 'nmae' in the recipe")]
    [InlineData("kind: Prompt\nmodel: { id: m, temprature: 1 }\n", 2, 17, "unknown field 'temprature' in model")]
    [InlineData("kind: Prompt\nmodel: { options: { temperature: hot } }\n", 2, 34, "expected a number from 0 to 2, not 'hot'")]
    [InlineData("kind: Prompt\nmodel: { options: { topP: 1.5 } }\n", 2, 27, "from 0 to 1")]
    [InlineData("kind: Prompt\nmodel: { provider: anthropic }\n", 2, 20, "unknown provider 'anthropic'")]
    [InlineData("kind: Prompt\nmodel: { connection: { endpoint: localhost } }\n", 2, 34, "not an http(s) URL")]
    [InlineData("kind: Prompt\nmodel: { connection: { kind: key } }\n", 2, 24, "unknown field 'kind' in model.connection")]
    [InlineData("kind: Prompt\nlimits: { maxSteps: 0 }\n", 2, 21, "whole number of at least 1, not '0'")]
    [InlineData("kind: Prompt\nlimits: { maxSteps: [1] }\n", 2, 21, "single value")]
    [InlineData("kind: Prompt\nlimits: 5\n", 2, 9, "limits must be a mapping")]
    [InlineData("kind: Prompt\nmemory: { store: a.db, size: 1 }\n", 2, 24, "unknown field 'size' in memory")]
    [InlineData("kind: Prompt\ntools: currentTime\n", 2, 8, "'tools' must be a list")]
    [InlineData("kind: Prompt\ntools:\n  - kind: sql\n    database: x.db\n", 3, 11, "tool kind 'sql' is not supported yet")]
    [InlineData("kind: Prompt\ntools:\n  - kind: teleport\n", 3, 11, "unknown tool kind 'teleport'")]
    [InlineData("kind: Prompt\ntools:\n  - name: x\n", 3, 5, "a tool needs a 'kind'")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: currentTime, zone: UTC }\n", 3, 26, "unknown field 'zone' in a currentTime tool")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: retrieval, top: 5 }\n", 3, 5, "a retrieval tool needs 'store: FILE.db'")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: retrieval, store: d.db, mode: fuzzy }\n", 3, 43, "unknown retrieval mode 'fuzzy'")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: retrieval, store: d.db, top: 50 }\n", 3, 42, "not '50'")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: retrieval, store: d.db, retrieveFirst: maybe }\n", 3, 52, "expected true or false, not 'maybe'")]
    [InlineData("kind: Prompt\ntools:\n  - { kind: retrieval, store: d.db, index: x }\n", 3, 37, "unknown field 'index' in a retrieval tool")]
    [InlineData("kind: Prompt\nplanner: { kind: cot }\n", 2, 1, "'planner' is not supported yet")]
    [InlineData("kind: Prompt\nname: ${1BAD}\n", 2, 7, "not a variable reference")]
    [InlineData("kind: Prompt\nmodel: { options: { stop: END } }\n", 2, 27, "must be a list")]
    public void InvalidRecipeNamesFileLineAndColumn(string yaml, int line, int column, string words)
    {
        var ex = Assert.Throws<RecipeException>(() => Parse(yaml));

        var error = Assert.Single(ex.Errors);
        Assert.Equal($"recipe.yaml:{line}:{column}", $"{error.Path}:{error.Line}:{error.Column}");
        Assert.Contains(words, error.Message);
    }

    [Fact]
    public void ReportsEveryErrorInFileOrder()
    {
        var ex = Assert.Throws<RecipeException>(() => Parse("kind: Prompt\nnmae: x\nlimits: { maxSteps: -1 }\n"));

        Assert.Equal([2, 3], ex.Errors.Select(e => e.Line));
        Assert.Equal(2, ex.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public async Task MissingFileIsARecipeError()
    {
        var path = Path.Combine(_folder, "absent.yaml");

        var ex = await Assert.ThrowsAsync<RecipeException>(() => RecipeLoader.LoadAsync(path));

        Assert.StartsWith($"{path}: cannot read the recipe", ex.Message);
    }

    [Fact]
    public async Task ThePlaygroundsHelloRecipeLoads()
    {
        var path = Path.Combine(RepositoryRoot(), "playground", "recipes", "hello.yaml");

        var recipe = await RecipeLoader.LoadAsync(path);

        Assert.Equal("hello", recipe.Name);
        Assert.Equal([new RecipeTool(RecipeTool.CurrentTimeKind)], recipe.Tools);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Agents.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Agents.sln not found above the test output.");
    }

    private Recipe Parse(string yaml, Dictionary<string, string>? env = null) =>
        RecipeLoader.Parse(yaml, "recipe.yaml", name => env?.GetValueOrDefault(name));
}
