using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.Tools;

/// <summary>
/// A compiled validator for the part of JSON Schema that tool parameter schemas use: types,
/// properties, required, additionalProperties, items, enum/const, numeric and length bounds, and
/// anyOf/oneOf/allOf. Checking a valid call allocates nothing, which matters because every tool call
/// is checked. <see cref="TryCompile"/> returns null for a schema using anything else ($ref,
/// pattern, if/then …); such tools are checked by the general JsonSchema.Net evaluator instead.
/// </summary>
internal sealed class ToolArgumentSchema
{
    // Keywords that constrain values but are not handled here; a schema with one falls back to JsonSchema.Net.
    private static readonly HashSet<string> UnhandledKeywords = new(StringComparer.Ordinal)
    {
        "$ref", "$dynamicRef", "$recursiveRef", "pattern", "patternProperties", "if", "then", "else", "not",
        "dependentRequired", "dependentSchemas", "dependencies", "prefixItems", "additionalItems", "contains",
        "minContains", "maxContains", "uniqueItems", "propertyNames", "unevaluatedProperties",
        "unevaluatedItems", "multipleOf", "minProperties", "maxProperties",
    };

    private readonly bool? _always;
    private JsonTypes _types = JsonTypes.Any;
    private Dictionary<string, ToolArgumentSchema>? _properties;
    private string[] _required = [];
    private ToolArgumentSchema? _additionalProperties;
    private ToolArgumentSchema? _items;
    private JsonElement[]? _enum;
    private JsonElement? _const;
    private double? _minimum, _maximum, _exclusiveMinimum, _exclusiveMaximum;
    private int? _minLength, _maxLength, _minItems, _maxItems;
    private ToolArgumentSchema[]? _allOf, _anyOf, _oneOf;

    private ToolArgumentSchema(bool? always) => _always = always;

    [Flags]
    private enum JsonTypes
    {
        Null = 1, Boolean = 2, Integer = 4, Number = 8, String = 16, Array = 32, Object = 64,
        Any = Null | Boolean | Integer | Number | String | Array | Object,
    }

    /// <summary>Compiles a schema, or returns null when it uses keywords this validator does not handle.</summary>
    public static ToolArgumentSchema? TryCompile(JsonElement schema)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return new ToolArgumentSchema(schema.ValueKind == JsonValueKind.True);
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var compiled = new ToolArgumentSchema(null);
        foreach (var keyword in schema.EnumerateObject())
        {
            if (UnhandledKeywords.Contains(keyword.Name) || !compiled.TryAdd(keyword.Name, keyword.Value))
            {
                return null;
            }
        }

        return compiled;
    }

    /// <summary>True when <paramref name="value"/> is valid; otherwise, when <paramref name="problems"/> is given, the reasons are added to it.</summary>
    public bool Validate(JsonElement value, List<string>? problems = null, string path = "")
    {
        if (_always is { } always)
        {
            if (!always)
            {
                problems?.Add($"{At(path)}: no value is allowed here");
            }

            return always;
        }

        if (!_types.HasFlag(TypeOf(value)) && !(_types.HasFlag(JsonTypes.Number) && TypeOf(value) == JsonTypes.Integer))
        {
            problems?.Add($"{At(path)}: expected {Describe(_types)}, got {value.ValueKind.ToString().ToLowerInvariant()}");
            return false;
        }

        var valid = CheckValue(value, problems, path);
        valid &= value.ValueKind switch
        {
            JsonValueKind.Object => CheckObject(value, problems, path),
            JsonValueKind.Array => CheckArray(value, problems, path),
            JsonValueKind.Number => CheckNumber(value, problems, path),
            JsonValueKind.String when _minLength is not null || _maxLength is not null => CheckLength(value.GetString()!, problems, path),
            _ => true,
        };
        return valid && CheckCombinations(value, problems, path);
    }

    /// <summary>
    /// Validates tool-call arguments in the form chat clients parse them into — property name → JSON
    /// value — without serializing them back to one JSON object first, as every call would otherwise.
    /// </summary>
    public bool ValidateArguments(IReadOnlyDictionary<string, object?> arguments, List<string>? problems = null)
    {
        // Keywords that judge the object as a whole need its JSON form; tool schemas rarely put them at the top.
        if (_always is not null || _const is not null || _enum is not null || _allOf is not null || _anyOf is not null || _oneOf is not null || !_types.HasFlag(JsonTypes.Object))
        {
            return Validate(JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions), problems);
        }

        var valid = CheckRequired(arguments, static (a, name) => a.ContainsKey(name), problems, "");
        foreach (var (name, value) in arguments)
        {
            // Clients parse arguments into JSON elements; a client that builds CLR values instead pays for a conversion.
            var element = value is JsonElement parsed ? parsed : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions);
            valid &= CheckProperty(name, element, problems, "");
        }

        return valid;
    }

    private bool TryAdd(string keyword, JsonElement value)
    {
        switch (keyword)
        {
            case "type":
                return TryReadTypes(value, out _types);
            case "properties" when value.ValueKind == JsonValueKind.Object:
                _properties = new Dictionary<string, ToolArgumentSchema>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    if (TryCompile(property.Value) is not { } compiled)
                    {
                        return false;
                    }

                    _properties[property.Name] = compiled;
                }

                return true;
            case "required" when value.ValueKind == JsonValueKind.Array:
                _required = [.. value.EnumerateArray().Select(e => e.GetString() ?? "")];
                return true;
            case "additionalProperties":
                return (_additionalProperties = TryCompile(value)) is not null;
            case "items":
                return (_items = TryCompile(value)) is not null;
            case "enum" when value.ValueKind == JsonValueKind.Array:
                _enum = [.. value.EnumerateArray().Select(e => e.Clone())];
                return true;
            case "const":
                _const = value.Clone();
                return true;
            case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                return TryReadBound(keyword, value);
            case "minLength" or "maxLength" or "minItems" or "maxItems":
                return TryReadCount(keyword, value);
            case "allOf" or "anyOf" or "oneOf":
                return TryReadCombination(keyword, value);
            default:
                // Annotations (description, title, default, format …) and unknown keywords never reject a value.
                return true;
        }
    }

    private bool TryReadBound(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        var bound = value.GetDouble();
        _ = keyword switch
        {
            "minimum" => _minimum = bound,
            "maximum" => _maximum = bound,
            "exclusiveMinimum" => _exclusiveMinimum = bound,
            _ => _exclusiveMaximum = bound,
        };
        return true;
    }

    private bool TryReadCount(string keyword, JsonElement value)
    {
        if (!value.TryGetInt32(out var count) || count < 0)
        {
            return false;
        }

        _ = keyword switch
        {
            "minLength" => _minLength = count,
            "maxLength" => _maxLength = count,
            "minItems" => _minItems = count,
            _ => _maxItems = count,
        };
        return true;
    }

    private bool TryReadCombination(string keyword, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var schemas = new List<ToolArgumentSchema>();
        foreach (var item in value.EnumerateArray())
        {
            if (TryCompile(item) is not { } compiled)
            {
                return false;
            }

            schemas.Add(compiled);
        }

        _ = keyword switch
        {
            "allOf" => _allOf = [.. schemas],
            "anyOf" => _anyOf = [.. schemas],
            _ => _oneOf = [.. schemas],
        };
        return true;
    }

    private bool CheckValue(JsonElement value, List<string>? problems, string path)
    {
        if (_const is { } constant && !JsonElement.DeepEquals(constant, value))
        {
            problems?.Add($"{At(path)}: must be {constant.GetRawText()}");
            return false;
        }

        if (_enum is { } allowed && !IsOneOf(allowed, value))
        {
            problems?.Add($"{At(path)}: must be one of {string.Join(", ", allowed.Select(a => a.GetRawText()))}");
            return false;
        }

        return true;
    }

    private bool CheckObject(JsonElement value, List<string>? problems, string path)
    {
        var valid = CheckRequired(value, static (o, name) => o.TryGetProperty(name, out _), problems, path);
        foreach (var property in value.EnumerateObject())
        {
            valid &= CheckProperty(property.Name, property.Value, problems, path);
        }

        return valid;
    }

    private bool CheckRequired<TObject>(TObject value, Func<TObject, string, bool> has, List<string>? problems, string path)
    {
        var valid = true;
        foreach (var name in _required)
        {
            if (!has(value, name))
            {
                problems?.Add($"{At(path)}: missing required property '{name}'");
                valid = false;
            }
        }

        return valid;
    }

    private bool CheckProperty(string name, JsonElement value, List<string>? problems, string path)
    {
        var schema = _properties is not null && _properties.TryGetValue(name, out var declared) ? declared : _additionalProperties;
        return schema is null || schema.Validate(value, problems, problems is null ? path : $"{path}/{name}");
    }

    private bool CheckArray(JsonElement value, List<string>? problems, string path)
    {
        var length = value.GetArrayLength();
        var valid = CheckCount(length, _minItems, _maxItems, "items", problems, path);
        if (_items is not null)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                valid &= _items.Validate(item, problems, problems is null ? path : $"{path}/{index}");
                index++;
            }
        }

        return valid;
    }

    private bool CheckNumber(JsonElement value, List<string>? problems, string path)
    {
        if (_minimum is null && _maximum is null && _exclusiveMinimum is null && _exclusiveMaximum is null)
        {
            return true;
        }

        string? broken = null;
        if (!value.TryGetDouble(out var number) || !double.IsFinite(number)) broken = "a finite number";
        else if (number < _minimum) broken = $"at least {_minimum}";
        else if (number > _maximum) broken = $"at most {_maximum}";
        else if (number <= _exclusiveMinimum) broken = $"more than {_exclusiveMinimum}";
        else if (number >= _exclusiveMaximum) broken = $"less than {_exclusiveMaximum}";
        if (broken is not null)
        {
            problems?.Add(string.Create(CultureInfo.InvariantCulture, $"{At(path)}: must be {broken}"));
        }

        return broken is null;
    }

    private bool CheckLength(string text, List<string>? problems, string path) =>
        // JSON Schema counts characters as code points, not UTF-16 units.
        CheckCount(text.EnumerateRunes().Count(), _minLength, _maxLength, "characters", problems, path);

    private static bool CheckCount(int count, int? min, int? max, string unit, List<string>? problems, string path)
    {
        if (count < min || count > max)
        {
            problems?.Add($"{At(path)}: must have {(count < min ? $"at least {min}" : $"at most {max}")} {unit}");
            return false;
        }

        return true;
    }

    private bool CheckCombinations(JsonElement value, List<string>? problems, string path)
    {
        var valid = true;
        if (_allOf is not null)
        {
            foreach (var schema in _allOf)
            {
                valid &= schema.Validate(value, problems, path);
            }
        }

        if (_anyOf is not null && CountMatches(_anyOf, value) == 0)
        {
            problems?.Add($"{At(path)}: matches none of the allowed forms (anyOf)");
            valid = false;
        }

        if (_oneOf is not null && CountMatches(_oneOf, value) != 1)
        {
            problems?.Add($"{At(path)}: must match exactly one of the allowed forms (oneOf)");
            valid = false;
        }

        return valid;
    }

    private static bool IsOneOf(JsonElement[] allowed, JsonElement value)
    {
        foreach (var candidate in allowed)
        {
            if (JsonElement.DeepEquals(candidate, value))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountMatches(ToolArgumentSchema[] schemas, JsonElement value)
    {
        var matches = 0;
        foreach (var schema in schemas)
        {
            matches += schema.Validate(value) ? 1 : 0;
        }

        return matches;
    }

    private static JsonTypes TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => JsonTypes.Null,
        JsonValueKind.True or JsonValueKind.False => JsonTypes.Boolean,
        JsonValueKind.String => JsonTypes.String,
        JsonValueKind.Array => JsonTypes.Array,
        JsonValueKind.Object => JsonTypes.Object,
        // JSON Schema's integer is any number without a fractional part, 1.0 included.
        _ => value.TryGetInt64(out _) || (value.TryGetDouble(out var d) && double.IsFinite(d) && Math.Floor(d) == d) ? JsonTypes.Integer : JsonTypes.Number,
    };

    private static bool TryReadTypes(JsonElement value, out JsonTypes types)
    {
        types = 0;
        IEnumerable<JsonElement> names = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];
        foreach (var element in names)
        {
            var name = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
            JsonTypes? type = name switch
            {
                "null" => JsonTypes.Null,
                "boolean" => JsonTypes.Boolean,
                "integer" => JsonTypes.Integer,
                "number" => JsonTypes.Number,
                "string" => JsonTypes.String,
                "array" => JsonTypes.Array,
                "object" => JsonTypes.Object,
                _ => null,
            };
            if (type is null)
            {
                return false;
            }

            types |= type.Value;
        }

        return types != 0;
    }

    private static string Describe(JsonTypes types) =>
        string.Join(" or ", Enum.GetValues<JsonTypes>().Where(t => t != JsonTypes.Any && types.HasFlag(t)).Select(t => t.ToString().ToLowerInvariant()));

    private static string At(string path) => path.Length == 0 ? "/" : path;
}
