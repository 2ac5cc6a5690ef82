using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Finds the main content of an HTML page (the article, not its navigation, ads, cookie banners, comments
/// or footer) with a readability-style scorer, and writes it as Markdown and as plain text. Bounded on
/// hostile input: the HTML, its nesting depth and the output are capped by <see cref="MainContentExtractorOptions"/>.
/// </summary>
public sealed partial class MainContentExtractor : IHtmlContentExtractor
{
    // Below this many characters the strict pass probably cut the article; readability.js uses 500 too.
    private const int EnoughText = 500;

    private static readonly ExtractionPasses[] s_attempts =
    [
        ExtractionPasses.All,
        ExtractionPasses.WeighClasses | ExtractionPasses.CleanConditionally,
        ExtractionPasses.CleanConditionally,
        ExtractionPasses.None,
    ];

    private static readonly HashSet<HtmlNode> s_nothingRemoved = [];

    private readonly MainContentExtractorOptions _options;

    public MainContentExtractor(MainContentExtractorOptions? options = null)
    {
        _options = options ?? new MainContentExtractorOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxHtmlCharacters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxDepth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxOutputCharacters);
    }

    /// <summary>Extracts the main content of <paramref name="html"/>; relative links are resolved against <paramref name="baseUrl"/> (or the page's &lt;base&gt;).</summary>
    public ExtractedPage Extract(string html, Uri? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (html.Length > _options.MaxHtmlCharacters)
        {
            html = html[.._options.MaxHtmlCharacters];
        }

        // An SVG icon's self-closed <title/> is an open title to the parser, which then reads the rest of the page as the title's text.
        html = SelfClosedTitle().Replace(html, "<title></title>");
        html = NestingLimiter.Limit(html, _options.MaxDepth);

        (ExtractedPage Page, int Length)? best = null;
        foreach (var passes in s_attempts)
        {
            var document = Parse(html);
            var page = ExtractOnce(document, baseUrl, passes, out var contentLength);
            // A laxer attempt must find clearly more: a little more is usually the furniture the stricter one removed.
            if (best is null || contentLength > best.Value.Length * 3 / 2 + 100)
            {
                best = (page, contentLength);
            }

            if (contentLength >= EnoughText)
            {
                break;
            }
        }

        // Some pages (Blogger among them) ship the article as markup inside <script type="text/template"> and
        // leave a stub in the body; only when the body held too little is that markup read as part of the page.
        if (best!.Value.Length < EnoughText && html.Contains("text/template", StringComparison.OrdinalIgnoreCase))
        {
            var document = Parse(html);
            if (UnwrapTemplates(document.DocumentNode))
            {
                var page = ExtractOnce(document, baseUrl, ExtractionPasses.All, out var contentLength);
                if (contentLength > best.Value.Length * 3 / 2 + 100)
                {
                    best = (page, contentLength);
                }
            }
        }

        // News sites behind a paywall often leave only a teaser in the markup but the whole text in their JSON-LD.
        if (best.Value.Length < EnoughText && html.Contains("\"articleBody\"", StringComparison.Ordinal))
        {
            var document = Parse(html);
            var articleBody = LinkedDataArticleBody(document.DocumentNode);
            if (articleBody is not null && articleBody.Length > best.Value.Length * 3 / 2 + 100)
            {
                var root = document.DocumentNode;
                var page = ExtractOnce(Parse(ArticleBodyPage(FindTitle(root, FindFirst(root, "body") ?? root), articleBody)), baseUrl, ExtractionPasses.None, out _);
                best = (page, articleBody.Length);
            }
        }

        return best.Value.Page;
    }

    /// <summary>The longest schema.org articleBody in the page's JSON-LD scripts, or null.</summary>
    private static string? LinkedDataArticleBody(HtmlNode root)
    {
        string? longest = null;
        for (var node = root.FirstChild; node is not null; node = ContentScorer.Next(node, root, skipChildren: node.Name == "script"))
        {
            if (node.NodeType != HtmlNodeType.Element || node.Name != "script"
                || !string.Equals(node.GetAttributeValue("type", "").Trim(), "application/ld+json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(node.InnerText);
            }
            catch (JsonException)
            {
                // Broken JSON-LD is common and says nothing: the page simply has no article body there.
                continue;
            }

            using (json)
            {
                var pending = new Stack<JsonElement>();
                pending.Push(json.RootElement);
                while (pending.Count > 0)
                {
                    var element = pending.Pop();
                    if (element.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in element.EnumerateArray())
                        {
                            pending.Push(item);
                        }
                    }
                    else if (element.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in element.EnumerateObject())
                        {
                            if (property.NameEquals("articleBody") && property.Value.ValueKind == JsonValueKind.String)
                            {
                                var text = property.Value.GetString()!;
                                longest = text.Length > (longest?.Length ?? 0) ? text : longest;
                            }
                            else
                            {
                                pending.Push(property.Value);
                            }
                        }
                    }
                }
            }
        }

        return longest;
    }

    /// <summary>A page of the article body's paragraphs (its lines) under the page's title, for the ordinary rendering.</summary>
    private static string ArticleBodyPage(string? title, string articleBody)
    {
        var page = new StringBuilder("<html><head><title>").Append(WebUtility.HtmlEncode(title ?? "")).Append("</title></head><body><article>");
        foreach (var line in articleBody.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            page.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        return page.Append("</article></body></html>").ToString();
    }

    /// <summary>Replaces each &lt;script type="text/template"&gt; with a div of its parsed markup; says whether there was one.</summary>
    private bool UnwrapTemplates(HtmlNode root)
    {
        var templates = new List<HtmlNode>();
        for (var node = root.FirstChild; node is not null; node = ContentScorer.Next(node, root, skipChildren: node.Name == "script"))
        {
            if (node.NodeType == HtmlNodeType.Element && node.Name == "script"
                && string.Equals(node.GetAttributeValue("type", "").Trim(), "text/template", StringComparison.OrdinalIgnoreCase))
            {
                templates.Add(node);
            }
        }

        foreach (var template in templates)
        {
            var inner = Parse(NestingLimiter.Limit(template.InnerHtml, _options.MaxDepth));
            var wrapper = root.OwnerDocument.CreateElement("div");
            for (var child = inner.DocumentNode.FirstChild; child is not null; child = child.NextSibling)
            {
                wrapper.AppendChild(child.CloneNode(deep: true));
            }

            template.ParentNode?.ReplaceChild(wrapper, template);
        }

        return templates.Count > 0;
    }

    /// <summary>The extractor behind <see cref="WebFetchTool"/>: the same content, as the fetch tool's record.</summary>
    ExtractedContent IHtmlContentExtractor.Extract(string html, Uri url)
    {
        var page = Extract(html, url);
        return new ExtractedContent(page.Title, page.Markdown, page.Text);
    }

    private HtmlDocument Parse(string html)
    {
        var document = new HtmlDocument
        {
            // A second guard behind NestingLimiter: the parser refuses what the limiter's estimate missed.
            OptionMaxNestedChildNodes = _options.MaxDepth * 2 + 16,
        };
        try
        {
            document.LoadHtml(html);
        }
        catch (Exception ex) when (ex.GetType() == typeof(Exception) && ex.Message.Contains("nested", StringComparison.Ordinal))
        {
            // HtmlAgilityPack reports its nesting limit as a bare Exception.
            throw new InvalidDataException($"The page nests elements deeper than {_options.MaxDepth * 2 + 16} levels even after unwrapping; it cannot be extracted.", ex);
        }

        return document;
    }

    private ExtractedPage ExtractOnce(HtmlDocument document, Uri? baseUrl, ExtractionPasses passes, out int contentLength)
    {
        var root = document.DocumentNode;
        var body = FindFirst(root, "body") ?? root;
        var title = FindTitle(root, body);
        baseUrl = DocumentBase(root, baseUrl);

        var scorer = new ContentScorer(body, passes);
        var content = scorer.SelectContent();
        var budget = _options.MaxOutputCharacters;
        var (markdown, markdownTruncated) = ContentRenderer.Render(scorer, content, baseUrl, markdown: true, budget, title);
        var (text, textTruncated) = ContentRenderer.Render(scorer, content, baseUrl, markdown: false, budget, title);
        contentLength = text.Length - (title?.Length ?? 0) - scorer.LeadLength;

        var truncated = markdownTruncated || textTruncated;
        if (markdownTruncated)
        {
            markdown += TruncationMarker(budget);
        }

        if (textTruncated)
        {
            text += TruncationMarker(budget);
        }

        return new ExtractedPage(title, markdown, text, truncated);
    }

    private static string TruncationMarker(int budget) =>
        $"\n\n[… truncated: the content is longer than {budget:N0} characters]";

    /// <summary>The page's own title: the main heading when the title tag repeats it, else the title tag without its site name.</summary>
    private static string? FindTitle(HtmlNode root, HtmlNode body)
    {
        var head = FindFirst(root, "head");
        var titleElement = head is null ? null : FindFirst(head, "title");
        var ogTitle = head is null ? null : FindMetaProperty(head, "og:title");
        var titleTag = Clean(titleElement?.InnerText);
        var h1 = FindFirst(body, "h1");
        var heading = h1 is null ? null : Clean(TableRenderer.InlineText(h1, s_nothingRemoved, escapePipes: false));

        foreach (var known in (ReadOnlySpan<string?>)[ogTitle, titleTag])
        {
            if (!string.IsNullOrEmpty(heading) && !string.IsNullOrEmpty(known) && known.Contains(heading, StringComparison.OrdinalIgnoreCase))
            {
                return heading;
            }
        }

        var title = !string.IsNullOrEmpty(ogTitle) ? ogTitle : !string.IsNullOrEmpty(titleTag) ? titleTag : heading;
        return string.IsNullOrEmpty(title) ? null : WithoutSiteName(title);
    }

    private static string WithoutSiteName(string title)
    {
        var parts = TitleSeparators().Split(title);
        if (parts.Length < 2)
        {
            return title;
        }

        var longest = parts.MaxBy(p => p.Length)!.Trim();
        return longest.Split(' ').Length >= 3 ? longest : title;
    }

    private static string? Clean(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var text = WhiteSpace().Replace(TextMeasure.Decode(raw), " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string? FindMetaProperty(HtmlNode head, string property)
    {
        for (var node = head.FirstChild; node is not null; node = node.NextSibling)
        {
            if (node.Name == "meta" && string.Equals(node.GetAttributeValue("property", null), property, StringComparison.OrdinalIgnoreCase))
            {
                return Clean(node.GetAttributeValue("content", null));
            }
        }

        return null;
    }

    private static Uri? DocumentBase(HtmlNode root, Uri? baseUrl)
    {
        var head = FindFirst(root, "head");
        var href = head is null ? null : FindFirst(head, "base")?.GetAttributeValue("href", null);
        if (string.IsNullOrWhiteSpace(href))
        {
            return baseUrl;
        }

        href = TextMeasure.Decode(href.Trim());
        if (baseUrl is not null)
        {
            return Uri.TryCreate(baseUrl, href, out var combined) ? combined : baseUrl;
        }

        return Uri.TryCreate(href, UriKind.Absolute, out var absolute) ? absolute : null;
    }

    private static HtmlNode? FindFirst(HtmlNode root, string name)
    {
        var node = root.FirstChild;
        while (node is not null)
        {
            if (node.NodeType == HtmlNodeType.Element && node.Name == name)
            {
                return node;
            }

            node = ContentScorer.Next(node, root, skipChildren: false);
        }

        return null;
    }

    [GeneratedRegex(@"\s+[|\-–—:·»/]+\s+|\s+::\s+")]
    private static partial Regex TitleSeparators();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"<title(?:\s[^<>]*)?/>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelfClosedTitle();
}
