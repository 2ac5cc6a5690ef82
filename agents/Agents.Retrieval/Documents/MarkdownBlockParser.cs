using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Agents.Retrieval.Documents;

/// <summary>
/// Turns Markdown into document blocks with Markdig: ATX and setext headings, paragraphs, list items (with their
/// markers), fenced and indented code, pipe tables; inline markup is reduced to its text. Shared by the Markdown
/// reader and the HTML reader, whose extractor writes Markdown.
/// </summary>
internal static class MarkdownBlockParser
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseYamlFrontMatter().Build();

    /// <summary>Adds the blocks of <paramref name="markdown"/> and returns the title it declares: front matter's <c>title:</c>, else the first level-1 heading.</summary>
    public static string? Add(ParsedDocumentBuilder builder, string markdown, CancellationToken cancellationToken)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, s_pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested beyond its depth limit (thousands of '>' or list markers). Such a file is
            // not sensible Markdown, but its text is still worth having: it is kept as plain paragraphs.
            PlainTextDocumentReader.AddParagraphs(builder, markdown, cancellationToken);
            return null;
        }

        var walker = new Walker(builder, markdown, cancellationToken);
        walker.AddContainer(document);
        return walker.FrontMatterTitle ?? walker.FirstTopHeading;
    }

    private sealed class Walker(ParsedDocumentBuilder builder, string markdown, CancellationToken cancellationToken)
    {
        public string? FrontMatterTitle { get; private set; }

        public string? FirstTopHeading { get; private set; }

        // Markdig bounds how deep its trees go, so recursion here is bounded too.
        public void AddContainer(ContainerBlock container)
        {
            foreach (var block in container)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AddBlock(block);
            }
        }

        private void AddBlock(Block block)
        {
            switch (block)
            {
                case YamlFrontMatterBlock frontMatter:
                    FrontMatterTitle ??= ReadFrontMatterTitle(frontMatter);
                    break;
                case HeadingBlock heading:
                    var title = InlineText(heading.Inline);
                    if (heading.Level == 1)
                    {
                        FirstTopHeading ??= title;
                    }

                    builder.Add(DocumentBlockKind.Heading, title, heading.Level);
                    break;
                case ParagraphBlock paragraph:
                    builder.Add(DocumentBlockKind.Paragraph, InlineText(paragraph.Inline));
                    break;
                case CodeBlock code:
                    // Fenced and indented code alike; the fence's info string (the language) is not content.
                    builder.Add(DocumentBlockKind.Code, code.Lines.ToString());
                    break;
                case Table table:
                    builder.Add(DocumentBlockKind.Table, TableText(table));
                    break;
                case ListBlock list:
                    AddList(list);
                    break;
                case HtmlBlock:
                    // Raw HTML in Markdown is mostly comments, badges and layout; its text is not part of the prose.
                    break;
                case ContainerBlock container:
                    // Block quotes and other containers: their paragraphs are the content.
                    AddContainer(container);
                    break;
            }
        }

        private void AddList(ListBlock list)
        {
            var number = int.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : 1;
            foreach (var child in list)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (child is not ListItemBlock item)
                {
                    AddBlock(child);
                    continue;
                }

                var marker = list.IsOrdered ? $"{number++}. " : "- ";
                var rest = 0;
                if (item.Count > 0 && item[0] is ParagraphBlock first)
                {
                    builder.Add(DocumentBlockKind.ListItem, marker + InlineText(first.Inline));
                    rest = 1;
                }

                for (var i = rest; i < item.Count; i++)
                {
                    AddBlock(item[i]);
                }
            }
        }

        private static string TableText(Table table)
        {
            var text = new StringBuilder();
            foreach (var row in table.OfType<TableRow>())
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                var first = true;
                foreach (var cell in row.OfType<TableCell>())
                {
                    if (!first)
                    {
                        text.Append(" | ");
                    }

                    first = false;
                    foreach (var paragraph in cell.OfType<ParagraphBlock>())
                    {
                        text.Append(InlineText(paragraph.Inline).Replace('\n', ' '));
                    }
                }
            }

            return text.ToString();
        }

        private string? ReadFrontMatterTitle(YamlFrontMatterBlock frontMatter)
        {
            foreach (var line in markdown.AsSpan(frontMatter.Span.Start, frontMatter.Span.Length).EnumerateLines())
            {
                if (line.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
                {
                    var value = line["title:".Length..].Trim().Trim("\"'").ToString();
                    return value.Length == 0 ? null : value;
                }
            }

            return null;
        }
    }

    /// <summary>The text of inline Markdown: emphasis and links reduced to their words, code spans to their code, entities decoded.</summary>
    private static string InlineText(ContainerInline? inlines)
    {
        var text = new StringBuilder();
        AppendInlines(text, inlines);
        return text.ToString();
    }

    private static void AppendInlines(StringBuilder text, ContainerInline? container)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.ContentSpan);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
                case ContainerInline nested:
                    // Emphasis, links (their text; the address is not prose) and image alt text.
                    AppendInlines(text, nested);
                    break;
            }
        }
    }
}
