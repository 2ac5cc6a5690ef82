using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Agents.Recipes;

/// <summary>Walks one recipe document, collecting every error with its position instead of stopping at the first.</summary>
internal sealed partial class RecipeReader(string path, Func<string, string?> environment)
{
    /// <summary>Tool kinds of the recipe format that this version cannot run yet.</summary>
    private static readonly string[] s_plannedToolKinds = ["sql", "javascript", "webFetch", "mcp", "function"];
    private static readonly string[] s_retrievalModes = ["hybrid", "vector", "keyword"];

    private readonly string _folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
    private readonly List<RecipeError> _errors = [];

    public IReadOnlyList<RecipeError> Errors => _errors;

    public Recipe Read(YamlNode root)
    {
        var recipe = new Recipe { SourcePath = Path.GetFullPath(path) };
        if (!IsMapping(root, "the recipe", out var mapping))
        {
            return recipe;
        }

        YamlNode? kindNode = null;
        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "kind": kindNode = value; break;
                case "name": recipe = recipe with { Name = String(value) }; break;
                case "description": recipe = recipe with { Description = String(value) }; break;
                case "instructions": recipe = recipe with { Instructions = String(value) }; break;
                case "model": recipe = recipe with { Model = Model(value) }; break;
                case "limits": recipe = recipe with { Limits = Limits(value) }; break;
                case "memory": recipe = recipe with { Memory = Memory(value) }; break;
                case "tools": recipe = recipe with { Tools = Tools(value) }; break;
                case "planner": Error(key, "'planner' is not supported yet; remove it and the agent answers directly."); break;
                default: Unknown(key, "the recipe", "kind, name, description, instructions, model, tools, limits, memory"); break;
            }
        }

        if (kindNode is null)
        {
            Error(mapping, "missing 'kind: Prompt' at the top of the recipe.");
        }
        else if (String(kindNode) is var kind && kind != "Prompt")
        {
            Error(kindNode, $"'kind: {kind}' is not a recipe kind this version reads; use 'kind: Prompt'.");
        }

        return recipe;
    }

    private RecipeModel Model(YamlNode node)
    {
        var model = new RecipeModel();
        if (!IsMapping(node, "model", out var mapping))
        {
            return model;
        }

        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "id": model = model with { Id = String(value) }; break;
                case "provider":
                    var provider = String(value);
                    if (provider is RecipeModel.OpenAIProvider or RecipeModel.OnnxProvider)
                    {
                        model = model with { Provider = provider };
                    }
                    else if (provider is not null)
                    {
                        Error(value, $"unknown provider '{provider}'; use 'openai' (any OpenAI-compatible server) or 'onnx'.");
                    }

                    break;
                case "connection": model = Connection(value, model); break;
                case "options": model = model with { Options = ModelOptions(value) }; break;
                default: Unknown(key, "model", "id, provider, connection, options"); break;
            }
        }

        return model;
    }

    private RecipeModel Connection(YamlNode node, RecipeModel model)
    {
        if (!IsMapping(node, "model.connection", out var mapping))
        {
            return model;
        }

        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "endpoint":
                    var endpoint = String(value);
                    if (endpoint is null)
                    {
                        break;
                    }

                    if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    {
                        model = model with { Endpoint = uri };
                    }
                    else
                    {
                        Error(value, $"'{endpoint}' is not an http(s) URL; set the server's base URL, e.g. http://localhost:11434/v1.");
                    }

                    break;
                case "apiKey": model = model with { ApiKey = String(value) }; break;
                case "path": model = model with { Path = FilePath(value) }; break;
                default: Unknown(key, "model.connection", "endpoint, apiKey, path"); break;
            }
        }

        return model;
    }

    private RecipeModelOptions ModelOptions(YamlNode node)
    {
        var options = new RecipeModelOptions();
        if (!IsMapping(node, "model.options", out var mapping))
        {
            return options;
        }

        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "temperature": options = options with { Temperature = (float?)Number(value, 0, 2) }; break;
                case "topP": options = options with { TopP = (float?)Number(value, 0, 1) }; break;
                case "maxOutputTokens": options = options with { MaxOutputTokens = (int?)Integer(value, 1, int.MaxValue) }; break;
                case "contextWindow": options = options with { ContextWindow = (int?)Integer(value, 1, int.MaxValue) }; break;
                case "stop": options = options with { Stop = Strings(value, "model.options.stop") }; break;
                default: Unknown(key, "model.options", "temperature, topP, maxOutputTokens, stop, contextWindow"); break;
            }
        }

        return options;
    }

    private RecipeLimits Limits(YamlNode node)
    {
        var limits = new RecipeLimits();
        if (!IsMapping(node, "limits", out var mapping))
        {
            return limits;
        }

        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "maxSteps": limits = limits with { MaxSteps = (int?)Integer(value, 1, int.MaxValue) }; break;
                case "maxToolCalls": limits = limits with { MaxToolCalls = (int?)Integer(value, 0, int.MaxValue) }; break;
                case "timeoutSeconds": limits = limits with { TimeoutSeconds = (int?)Integer(value, 1, int.MaxValue) }; break;
                case "maxTotalTokens": limits = limits with { MaxTotalTokens = Integer(value, 1, long.MaxValue) }; break;
                default: Unknown(key, "limits", "maxSteps, maxToolCalls, timeoutSeconds, maxTotalTokens"); break;
            }
        }

        return limits;
    }

    private RecipeMemory Memory(YamlNode node)
    {
        var memory = new RecipeMemory();
        if (!IsMapping(node, "memory", out var mapping))
        {
            return memory;
        }

        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "store": memory = memory with { Store = FilePath(value) }; break;
                case "maxContextTokens": memory = memory with { MaxContextTokens = (int?)Integer(value, 1, int.MaxValue) }; break;
                default: Unknown(key, "memory", "store, maxContextTokens"); break;
            }
        }

        return memory;
    }

    private List<RecipeTool> Tools(YamlNode node)
    {
        var tools = new List<RecipeTool>();
        if (IsNull(node))
        {
            return tools;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, "'tools' must be a list, e.g. '- kind: currentTime'.");
            return tools;
        }

        foreach (var item in sequence)
        {
            if (!IsMapping(item, "a tool", out var mapping))
            {
                continue;
            }

            if (!mapping.Children.TryGetValue(new YamlScalarNode("kind"), out var kindNode))
            {
                Error(mapping, "a tool needs a 'kind', e.g. 'kind: currentTime'.");
                continue;
            }

            var kind = String(kindNode);
            if (kind == RecipeTool.CurrentTimeKind)
            {
                foreach (var (key, _) in Fields(mapping).Where(f => f.Key.Value != "kind"))
                {
                    Unknown(key, "a currentTime tool", "kind");
                }

                tools.Add(new RecipeTool(kind));
            }
            else if (kind == RecipeTool.RetrievalKind)
            {
                if (Retrieval(mapping) is { } retrieval)
                {
                    tools.Add(new RecipeTool(kind) { Retrieval = retrieval });
                }
            }
            else if (s_plannedToolKinds.Contains(kind))
            {
                Error(kindNode, $"tool kind '{kind}' is not supported yet; remove it (supported: currentTime, retrieval).");
            }
            else if (kind is not null)
            {
                Error(kindNode, $"unknown tool kind '{kind}'; supported: currentTime, retrieval.");
            }
        }

        return tools;
    }

    private RecipeRetrieval? Retrieval(YamlMappingNode mapping)
    {
        string? store = null;
        var retrieval = new RecipeRetrieval("");
        foreach (var (key, value) in Fields(mapping))
        {
            switch (key.Value)
            {
                case "kind": break;
                case "store": store = FilePath(value); break;
                case "top": retrieval = retrieval with { Top = (int)(Integer(value, 1, 20) ?? retrieval.Top) }; break;
                case "embeddingModel": retrieval = retrieval with { EmbeddingModel = String(value) }; break;
                case "retrieveFirst": retrieval = retrieval with { BeforeAnswering = Boolean(value) ?? false }; break;
                case "mode":
                    var mode = String(value);
                    if (mode is not null && !s_retrievalModes.Contains(mode))
                    {
                        Error(value, $"unknown retrieval mode '{mode}'; use hybrid, vector or keyword.");
                    }

                    retrieval = retrieval with { Mode = mode ?? retrieval.Mode };
                    break;
                default: Unknown(key, "a retrieval tool", "kind, store, top, mode, embeddingModel, retrieveFirst"); break;
            }
        }

        if (store is null)
        {
            Error(mapping, "a retrieval tool needs 'store: FILE.db', a store made by 'agents ingest'.");
            return null;
        }

        return retrieval with { Store = store };
    }

    private bool? Boolean(YamlNode node)
    {
        var text = String(node);
        if (text is null)
        {
            return null;
        }

        if (!bool.TryParse(text, out var value))
        {
            Error(node, $"expected true or false, not '{text}'.");
            return null;
        }

        return value;
    }

    private bool IsMapping(YamlNode node, string what, out YamlMappingNode mapping)
    {
        if (node is YamlMappingNode m)
        {
            mapping = m;
            return true;
        }

        mapping = null!;
        if (!IsNull(node))
        {
            Error(node, $"{what} must be a mapping of 'field: value' lines.");
        }

        return false;
    }

    private IEnumerable<(YamlScalarNode Key, YamlNode Value)> Fields(YamlMappingNode mapping)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: not null } scalar)
            {
                yield return (scalar, value);
            }
            else
            {
                Error(key, "field names must be plain text.");
            }
        }
    }

    /// <summary>A scalar with environment references substituted; null when absent or empty.</summary>
    private string? String(YamlNode node)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode { Value: { } raw })
        {
            Error(node, "expected a single value here, not a list or mapping.");
            return null;
        }

        var value = Substitute(node, raw);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private List<string> Strings(YamlNode node, string what)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"{what} must be a list, e.g. [\"END\"].");
            return [];
        }

        return [.. sequence.Select(String).OfType<string>()];
    }

    private double? Number(YamlNode node, double min, double max)
    {
        var text = String(node);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(node, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
            return null;
        }

        return value;
    }

    private long? Integer(YamlNode node, long min, long max)
    {
        var text = String(node);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(node, $"expected a whole number of at least {min}, not '{text}'.");
            return null;
        }

        return value;
    }

    /// <summary>A path as written, or resolved against the recipe's folder when relative.</summary>
    private string? FilePath(YamlNode node) => String(node) is { } value ? Path.GetFullPath(value, _folder) : null;

    private string Substitute(YamlNode node, string raw)
    {
        var env = EnvExpression().Match(raw);
        if (env.Success)
        {
            return environment(env.Groups[1].Value) ?? "";
        }

        if (!raw.Contains("${", StringComparison.Ordinal))
        {
            return raw;
        }

        if (Reference().Replace(raw, "").Contains("${", StringComparison.Ordinal))
        {
            Error(node, "a '${' here is not a variable reference; write ${NAME} or ${NAME:-default}.");
        }

        return Reference().Replace(raw, m =>
        {
            var value = environment(m.Groups["name"].Value);
            return string.IsNullOrEmpty(value) && m.Groups["default"].Success ? m.Groups["default"].Value : value ?? "";
        });
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private void Unknown(YamlScalarNode key, string where, string expected) =>
        Error(key, $"unknown field '{key.Value}' in {where}; expected one of: {expected}.");

    private void Error(YamlNode node, string message) =>
        _errors.Add(new RecipeError(path, (int)node.Start.Line, (int)node.Start.Column, message));

    [GeneratedRegex(@"^=Env\.([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex EnvExpression();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Reference();
}
