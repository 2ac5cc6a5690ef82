using System.Text.Json;
using Agents.Tools;
using Json.Schema;

namespace Agents.Tests.Tools;

public sealed class ToolArgumentSchemaTests
{
    private static readonly string[] Schemas =
    [
        """{"type":"object","condition":"SK annotation","properties":{"a":{"type":"integer","description":"x"},"b":{"type":"integer"}},"required":["a","b"]}""",
        """{"type":"object","properties":{"mode":{"enum":["fast","slow"]},"tags":{"type":"array","items":{"type":"string","maxLength":3},"minItems":1,"maxItems":2}},"additionalProperties":false}""",
        """{"type":["string","null"],"minLength":2,"maxLength":3}""",
        """{"type":"number","minimum":0,"exclusiveMaximum":10}""",
        """{"type":"integer","exclusiveMinimum":0,"maximum":5}""",
        """{"anyOf":[{"type":"string"},{"type":"integer"}]}""",
        """{"oneOf":[{"type":"integer"},{"type":"number","minimum":5}]}""",
        """{"allOf":[{"type":"integer"},{"maximum":3}]}""",
        """{"type":"object","properties":{"inner":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}},"required":["inner"]}""",
        """{"const":{"a":[1,2]}}""",
        """{"type":"object","additionalProperties":{"type":"boolean"}}""",
        """{"type":"array","items":{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}}""",
        """{"type":"object","properties":{"flag":false}}""",
        """true""",
    ];

    private static readonly string[] Instances =
    [
        "1", "1.0", "1.5", "0", "-1", "5", "7.5", "9.99", "10", "1e400", "\"ab\"", "\"a\"", "\"abcd\"", "\"😀😀\"", "null", "true", "[]",
        "[\"abc\"]", "[\"abcd\"]", "[{\"n\":1},{\"n\":\"x\"}]", "[{\"n\":2.5}]", "{}", "{\"a\":1,\"b\":2}", "{\"a\":\"1\",\"b\":2}",
        "{\"a\":1}", "{\"a\":1.0,\"b\":2,\"c\":3}", "{\"mode\":\"fast\"}", "{\"mode\":\"medium\"}", "{\"mode\":\"fast\",\"x\":1}",
        "{\"tags\":[]}", "{\"tags\":[\"ok\",\"no\"]}", "{\"tags\":[\"a\",\"b\",\"c\"]}", "{\"a\":[1,2]}", "{\"a\":[2,1]}",
        "{\"x\":true,\"y\":false}", "{\"x\":1}", "{\"inner\":{\"id\":\"7\"}}", "{\"inner\":{}}", "{\"inner\":{\"id\":7}}", "{\"flag\":1}",
    ];

    public static TheoryData<int> SchemaIndexes() => [.. Enumerable.Range(0, Schemas.Length)];

    [Theory]
    [MemberData(nameof(SchemaIndexes))]
    public void Agrees_with_the_reference_evaluator_on_every_instance(int schemaIndex)
    {
        var schemaJson = JsonDocument.Parse(Schemas[schemaIndex]).RootElement;
        var ours = ToolArgumentSchema.TryCompile(schemaJson);
        Assert.NotNull(ours);
        var reference = JsonSchema.Build(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012.With([], null, true, null) }, new Uri($"urn:test:{schemaIndex}"));

        foreach (var instanceJson in Instances)
        {
            var instance = JsonDocument.Parse(instanceJson).RootElement;
            var expected = reference.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
            if (instanceJson == "1e400")
            {
                // Out of double range: we refuse any bounded number we cannot compare; the reference compares as decimal.
                continue;
            }

            Assert.True(expected == ours.Validate(instance), $"schema {Schemas[schemaIndex]} on {instanceJson}: reference says {expected}");
            var problems = new List<string>();
            Assert.Equal(expected, ours.Validate(instance, problems));
            Assert.Equal(expected, problems.Count == 0);
            if (instance.ValueKind == JsonValueKind.Object)
            {
                // Tool calls arrive as a name → value map: checked in place, with the same verdict.
                var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(instanceJson)!;
                Assert.True(expected == ours.ValidateArguments(arguments), $"schema {Schemas[schemaIndex]} on arguments {instanceJson}: reference says {expected}");
                var argumentProblems = new List<string>();
                Assert.Equal(expected, ours.ValidateArguments(arguments, argumentProblems));
                Assert.Equal(expected, argumentProblems.Count == 0);
            }
        }
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"id":{"$ref":"#/$defs/id"}},"$defs":{"id":{"type":"string"}}}""")]
    [InlineData("""{"type":"string","pattern":"^a+$"}""")]
    [InlineData("""{"type":"object","if":{"required":["a"]},"then":{"required":["b"]}}""")]
    [InlineData("""{"type":"array","uniqueItems":true}""")]
    [InlineData("""{"type":"wibble"}""")]
    public void Declines_schemas_it_cannot_check_fully(string schema)
    {
        Assert.Null(ToolArgumentSchema.TryCompile(JsonDocument.Parse(schema).RootElement));
    }

    [Fact]
    public void Checks_arguments_that_a_client_parsed_into_plain_values()
    {
        var schema = ToolArgumentSchema.TryCompile(JsonDocument.Parse(Schemas[0]).RootElement)!;

        Assert.True(schema.ValidateArguments(new Dictionary<string, object?> { ["a"] = 1L, ["b"] = 2 }));
        var problems = new List<string>();
        Assert.False(schema.ValidateArguments(new Dictionary<string, object?> { ["a"] = "one" }, problems));
        Assert.Equal(["/: missing required property 'b'", "/a: expected integer, got string"], problems);
    }

    [Fact]
    public void Explains_each_problem_with_its_location()
    {
        var schema = ToolArgumentSchema.TryCompile(JsonDocument.Parse(Schemas[1]).RootElement)!;
        var problems = new List<string>();

        schema.Validate(JsonDocument.Parse("""{"mode":"medium","tags":["abcd"],"extra":1}""").RootElement, problems);

        Assert.Equal(["/mode: must be one of \"fast\", \"slow\"", "/tags/0: must have at most 3 characters", "/extra: no value is allowed here"], problems);
    }
}
