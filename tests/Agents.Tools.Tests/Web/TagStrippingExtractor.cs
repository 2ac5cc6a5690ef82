using System.Net;
using System.Text.RegularExpressions;
using Agents.Tools.Web;

namespace Agents.Tools.Tests.Web;

/// <summary>A test extractor: the title element and the text of the body, enough to see HTML go through the extractor and not raw.</summary>
internal sealed partial class TagStrippingExtractor : IHtmlContentExtractor
{
    public List<Uri> Calls { get; } = [];

    public ExtractedContent Extract(string html, Uri url)
    {
        Calls.Add(url);
        var title = TitleElement().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
        var body = BodyElement().Match(html) is { Success: true } b ? b.Groups[1].Value : html;
        var text = WebUtility.HtmlDecode(Tag().Replace(Nav().Replace(body, ""), " ")).Trim();
        return new ExtractedContent(title, "**" + text + "**", text);
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex TitleElement();

    [GeneratedRegex("<body>(.*?)</body>", RegexOptions.Singleline)]
    private static partial Regex BodyElement();

    [GeneratedRegex("<nav>.*?</nav>", RegexOptions.Singleline)]
    private static partial Regex Nav();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
