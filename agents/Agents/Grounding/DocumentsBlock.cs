using System.Net;
using System.Text;
using Agents.Prompts;

namespace Agents.Grounding;

/// <summary>
/// Renders passages as the delimited documents block the grounding prompt refers to. Passage text is data: it cannot
/// close its own element or the block, because every tag-like character in it is escaped.
/// </summary>
internal static class DocumentsBlock
{
    private static readonly PromptTemplate Template = PromptTemplate.Load("agent/documents.md");

    public static string Render(IReadOnlyList<RetrievedPassage> passages)
    {
        var documents = new StringBuilder();
        foreach (var passage in passages)
        {
            documents.Append("<document id=\"").Append(WebUtility.HtmlEncode(passage.Id))
                .Append("\" source=\"").Append(WebUtility.HtmlEncode(passage.Source)).Append('"');
            if (passage.Position is { Length: > 0 } position)
            {
                documents.Append(" position=\"").Append(WebUtility.HtmlEncode(position)).Append('"');
            }

            documents.Append(">\n").Append(Escape(passage.Text)).Append("\n</document>\n");
        }

        return Template.Render(new("count", passages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("documents", documents.ToString().TrimEnd('\n')));
    }

    // Only what could form a tag is escaped, so prose, code and numbers reach the model as written.
    private static string Escape(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
