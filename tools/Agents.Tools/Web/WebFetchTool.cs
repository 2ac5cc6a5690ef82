using System.ComponentModel;
using System.Globalization;
using System.Text;
using Agents.Tools.Web.Extraction;
using Microsoft.SemanticKernel;

namespace Agents.Tools.Web;

/// <summary>
/// The <c>web_fetch</c> tool: fetches a public URL through <see cref="WebFetcher"/> and gives the
/// model the final URL, the title, and the main content (Markdown for HTML pages, other documents as
/// sent), cut at <see cref="WebFetchOptions.MaxContentCharacters"/> with a marker.
/// </summary>
public sealed class WebFetchTool : IDisposable
{
    private readonly WebFetcher _fetcher;
    private readonly IHtmlContentExtractor _htmlExtractor;
    private readonly int _maxContentCharacters;

    /// <summary>A tool that renders HTML pages through <see cref="MainContentExtractor"/>.</summary>
    public WebFetchTool(WebFetchOptions? options = null)
        : this(new MainContentExtractor(), options)
    {
    }

    /// <summary>A tool that renders HTML pages through <paramref name="htmlExtractor"/>.</summary>
    public WebFetchTool(IHtmlContentExtractor htmlExtractor, WebFetchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(htmlExtractor);
        options ??= new WebFetchOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxContentCharacters, "options.MaxContentCharacters");
        _htmlExtractor = htmlExtractor;
        _maxContentCharacters = options.MaxContentCharacters;
        _fetcher = new WebFetcher(options);
    }

    [KernelFunction("web_fetch")]
    [Description("Fetches a page or text document from a public http or https URL and returns its final URL, its title, and its main content as Markdown (text, JSON and XML as sent). Long content is cut with a marker.")]
    public async Task<string> FetchAsync(
        [Description("The absolute http or https URL to fetch.")] string url,
        CancellationToken cancellationToken = default)
    {
        var page = await ReadAsync(url, cancellationToken).ConfigureAwait(false);
        return Format(page, _maxContentCharacters);
    }

    /// <summary>Fetches <paramref name="url"/> and extracts its main content, without the character budget: the console and library callers decide how much to show.</summary>
    public async Task<WebPage> ReadAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var response = await _fetcher.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsHtml)
        {
            return new WebPage(response.Url, response.MediaType, null, response.Text, response.Text);
        }

        var content = _htmlExtractor.Extract(response.Text, response.Url);
        return new WebPage(response.Url, response.MediaType, content.Title, content.Markdown, content.Text);
    }

    public void Dispose() => _fetcher.Dispose();

    /// <summary>
    /// The tool as a Semantic Kernel function, ready for <see cref="AgentOptions.Tools"/>. The
    /// function keeps its own connection pool for as long as it is referenced.
    /// </summary>
    public static KernelFunction CreateFunction(IHtmlContentExtractor htmlExtractor, WebFetchOptions? options = null)
    {
        var tool = new WebFetchTool(htmlExtractor, options);
        return KernelFunctionFactory.CreateFromMethod(tool.FetchAsync, functionName: "web_fetch");
    }

    /// <summary>The tool as a Semantic Kernel function, rendering HTML pages through <see cref="MainContentExtractor"/>.</summary>
    public static KernelFunction CreateFunction(WebFetchOptions? options = null) => CreateFunction(new MainContentExtractor(), options);

    private static string Format(WebPage page, int maxCharacters)
    {
        var result = new StringBuilder();
        result.Append("URL: ").Append(page.Url.AbsoluteUri).Append('\n');
        if (!string.IsNullOrWhiteSpace(page.Title))
        {
            result.Append("Title: ").Append(page.Title.Trim()).Append('\n');
        }

        result.Append('\n');
        var content = page.Markdown;
        if (content.Length <= maxCharacters)
        {
            return result.Append(content).ToString();
        }

        // Never split a surrogate pair: half a character is invalid text for the model's tokenizer.
        var cut = char.IsHighSurrogate(content[maxCharacters - 1]) ? maxCharacters - 1 : maxCharacters;
        return result.Append(content, 0, cut)
            .Append(CultureInfo.InvariantCulture, $"\n\n[truncated: showing the first {cut:N0} of {content.Length:N0} characters]")
            .ToString();
    }
}
