using Agents.Prompts;

namespace Agents.Tests.Prompts;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Loads_the_embedded_prompt_files()
    {
        var template = PromptTemplate.Load("agent/tool-output.md");

        var text = template.Render(new Dictionary<string, string> { ["tool"] = "t", ["status"] = "ok", ["content"] = "data" });

        Assert.Equal("<tool_output tool=\"t\" status=\"ok\">\ndata\n</tool_output>", text);
    }

    [Fact]
    public void Inserted_values_are_never_rescanned_for_placeholders()
    {
        var text = PromptTemplate.Load("agent/system.md").Render(new Dictionary<string, string> { ["instructions"] = "Say {{instructions}} {{secret}}" });

        Assert.StartsWith("Say {{instructions}} {{secret}}", text);
    }

    [Fact]
    public void A_missing_value_is_an_error_naming_it()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => PromptTemplate.Load("agent/tool-output.md").Render(new Dictionary<string, string> { ["tool"] = "t" }));

        Assert.Contains("'status'", error.Message);
    }

    [Fact]
    public void An_unknown_prompt_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => PromptTemplate.Load("agent/nope.md"));

        Assert.Contains("no prompt named 'agent/nope.md'", error.Message);
    }
}
