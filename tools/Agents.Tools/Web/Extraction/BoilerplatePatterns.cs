using System.Text.RegularExpressions;
using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// What marks an element as page furniture rather than content: its tag, its ARIA role, and the words in
/// its class and id (in the languages of the pages we meet: English, German, French, Spanish, Italian, …).
/// </summary>
internal static partial class BoilerplatePatterns
{
    // A caption sits in its picture's box or beside it: the caption and its parent are searched for the image.
    private const int CaptionImageLevels = 2;
    private const int MaxImageLook = 200;

    // An ingredient's name sits a few wrappers (row, column, label) inside the list the page marks.
    private const int IngredientLevels = 6;

    /// <summary>
    /// Elements that never hold an article's text. The head itself is not among them: on a page without a body the
    /// parser leaves the article under the head, beside its title, metadata and scripts, which are.
    /// </summary>
    public static readonly HashSet<string> RemovedTags = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
        "dialog", "title", "base", "link", "meta",
        "svg", "canvas", "video", "audio", "map", "button", "input", "select", "option", "textarea", "label",
    };

    /// <summary>
    /// Landmarks around the content. Removed unless they hold most of the page's text: an unclosed
    /// &lt;header&gt; swallows the whole page when parsed.
    /// </summary>
    public static readonly HashSet<string> LandmarkTags = new(StringComparer.Ordinal)
    {
        "nav", "header", "footer", "aside", "menu",
    };

    private static readonly HashSet<string> s_removedRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar", "tablist",
    };

    /// <summary>Whole words in a class or id that mean advertising; matched as words so "header" or "shadow" never match "ad".</summary>
    private static readonly HashSet<string> s_adWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense", "adslot", "adunit", "adbox", "adblock",
        "dfp", "sponsored", "sponsor", "werbung", "anzeige", "anzeigen", "pub", "publicite", "publicidad", "pubblicita", "reklama",
    };

    /// <summary>
    /// Whole words in a class or id that name a post's metadata, also as a part of a compound name ("article__byline",
    /// "entry-date", "post-author"), where readability's "unlikely" names are forgiven for also saying "article" or "post".
    /// A bare "meta" is not among them: a recipe's "recipe-meta" holds its servings and times.
    /// </summary>
    private static readonly HashSet<string> s_metadataWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "date", "dateline", "byline", "author", "authors", "timestamp",
    };

    /// <summary>Whether the element is page furniture; <paramref name="strong"/> says its size must not save it.</summary>
    public static bool IsFurniture(HtmlNode element, bool useClassNames, out bool strong)
    {
        strong = !LandmarkTags.Contains(element.Name) || IsSectioningHeader(element);
        if (!strong)
        {
            return true;
        }

        if (element.Attributes.Count == 0)
        {
            return false;
        }

        var role = element.GetAttributeValue("role", null);
        if (role is not null && s_removedRoles.Contains(role.Trim()))
        {
            strong = false;
            return true;
        }

        if (element.Attributes.Contains("hidden") || element.GetAttributeValue("aria-hidden", null) == "true" || IsHiddenByStyle(element))
        {
            return true;
        }

        var names = ClassAndId(element);
        if (names.Length == 0)
        {
            return false;
        }

        // A comment thread is no part of the article in any pass: the laxer passes undo class names that cut the article, and
        // readers' comments are never that.
        if (!useClassNames)
        {
            return CommentThread().IsMatch(names);
        }

        if (StrongFurniture().IsMatch(names) || HasWord(names, s_adWords))
        {
            return true;
        }

        strong = false;
        return (UnlikelyContent().IsMatch(names) && !MaybeContent().IsMatch(names)) || HasWord(names, s_metadataWords);
    }

    /// <summary>
    /// Whether a &lt;header&gt; heads an article or a section rather than the page: HTML-AAM maps a header inside
    /// article, aside, main, nav or section to no landmark, and such a header holds the title, the lead and the date.
    /// </summary>
    private static bool IsSectioningHeader(HtmlNode element)
    {
        if (element.Name != "header")
        {
            return false;
        }

        for (var up = element.ParentNode; up is not null; up = up.ParentNode)
        {
            if (up.Name is "article" or "aside" or "main" or "nav" or "section")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Readability's class weight: positive for names that say "content", negative for furniture.</summary>
    public static int ClassWeight(HtmlNode element)
    {
        var weight = 0;
        foreach (var name in (ReadOnlySpan<string?>)[element.GetAttributeValue("class", null), element.Id])
        {
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (NegativeNames().IsMatch(name))
            {
                weight -= 25;
            }

            if (PositiveNames().IsMatch(name))
            {
                weight += 25;
            }
        }

        return weight;
    }

    /// <summary>
    /// Whether the element is an image's caption or credit: its class or id says so ("wp-caption-text", "imageCaption",
    /// "photo-credit", "copyright") and an image is at hand, in it or beside it. Headings are never captions (a class like
    /// "caption-s5" on a heading is a type style), and a "caption" with no picture near it describes a video or a card.
    /// </summary>
    public static bool IsCaption(HtmlNode element)
    {
        if (element.Attributes.Count == 0 || element.Name is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
        {
            return false;
        }

        var names = ClassAndId(element);
        if (names.Length == 0 || !CaptionNames().IsMatch(names))
        {
            return false;
        }

        var near = element;
        for (var level = 0; level < CaptionImageLevels && near is not null; level++, near = near.ParentNode)
        {
            if (near.Name == "figure" || HoldsImage(near))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an img or picture is among the first nodes of the element's subtree; the look is bounded, since a caption's parent may be the page.</summary>
    private static bool HoldsImage(HtmlNode element)
    {
        var seen = 0;
        for (var node = element.FirstChild; node is not null && seen < MaxImageLook; node = ContentScorer.Next(node, element, skipChildren: false), seen++)
        {
            if (node.Name is "img" or "picture")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the element is, or is a few levels inside, a recipe's list of ingredients (see <see cref="MarksIngredients"/>).</summary>
    public static bool IsInIngredients(HtmlNode element)
    {
        var up = element;
        for (var level = 0; level < IngredientLevels && up is not null && up.NodeType == HtmlNodeType.Element; level++, up = up.ParentNode)
        {
            if (MarksIngredients(up))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the page marks the element as a recipe's ingredients: schema.org's recipeIngredient, or a class or id ("wprm-recipe-ingredients", "zutaten").</summary>
    public static bool MarksIngredients(HtmlNode element) => IsMarked(element, "ingredient", IngredientNames());

    /// <summary>Whether a short block's text is a photo credit or a copyright line: it holds a © or ends in "(Photo: …)".</summary>
    public static bool IsCredit(string text) => Credit().IsMatch(text);

    /// <summary>Whether a short block's text opens like a teaser, a share or follow appeal, a photo credit or a post's metadata line.</summary>
    public static bool IsTeaser(string text) => Teaser().IsMatch(text);

    /// <summary>Whether the page marks the element as its article or its article's body: &lt;article&gt;, schema.org's articleBody, a CMS's body class.</summary>
    public static bool MarksArticleBody(HtmlNode element) => element.Name == "article" || IsMarked(element, "articleBody", ArticleBodyNames());

    /// <summary>Whether the element's schema.org itemprop holds <paramref name="itemprop"/> or its class or id matches <paramref name="names"/>.</summary>
    private static bool IsMarked(HtmlNode element, string itemprop, Regex names)
    {
        if (element.Attributes.Count == 0)
        {
            return false;
        }

        var property = element.GetAttributeValue("itemprop", null);
        if (property is not null && property.Contains(itemprop, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var classAndId = ClassAndId(element);
        return classAndId.Length > 0 && names.IsMatch(classAndId);
    }

    private static string ClassAndId(HtmlNode element)
    {
        var cls = element.GetAttributeValue("class", null);
        var id = element.Id;
        return string.IsNullOrEmpty(id) ? cls ?? "" : string.IsNullOrEmpty(cls) ? id : cls + " " + id;
    }

    private static bool HasWord(string names, HashSet<string> words)
    {
        foreach (var range in names.AsSpan().SplitAny(" \t\n-_"))
        {
            if (range.End.Value - range.Start.Value is >= 2 and <= 16)
            {
                var word = names[range];
                if (words.Contains(word))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsHiddenByStyle(HtmlNode element)
    {
        var style = element.GetAttributeValue("style", null);
        return style is not null && HiddenStyle().IsMatch(style);
    }

    [GeneratedRegex(@"^\W{0,3}(?:(?:lea|lee|léase|mire|mira|puedes ver|te puede interesar|ver también|vea también|read|see|watch|related|lesen sie|lies|siehe|mehr zum thema|mehr dazu|zum weiterlesen|weiterlesen|auch interessant|schon gelesen|das könnte sie|lire|à lire|voir aussi|leggi|guarda anche|czytaj|zobacz|bild|foto|fotos|photo|photos|image|credit|quelle|source|fuente|beitragsbild|titelbild|quellenangaben|quellen|abbildung|crédits?|credits?|teilen mit|teilen sie dies mit|share this|aktualisiert am|last modified|updated)\b[^:\n]{0,30}:|(?:lea|lee|read|lesen sie|lies|lire|leggi|czytaj) (?:también|además|also|more|auch|mehr|aussi|anche|też|także)\b|follow\b.{0,40}\bon (?:twitter|facebook|instagram|linkedin|telegram)|subscribe (?:now|today|to (?:our|the))|to view the full story|if you enjoyed (?:reading )?this|this entry was posted|(?:dieser|der) (?:text|beitrag|artikel|eintrag) wurde\b.{0,40}\b(?:veröffentlicht|erstellt|geschrieben)|you must be logged in|sie müssen (?:sich )?(?:angemeldet|eingeloggt|einloggen|anmelden)|pingback|wird geladen|verpasse keine|never miss|¿ya sabías que|¡mira lo que|(?:mehr zum thema|mehr themen|ähnliche (?:beiträge|artikel)|weitere (?:beiträge|artikel|informationen|infos|themen)|das könnte (?:dich|sie) (?:auch )?interessieren|related (?:posts|articles|stories)|you may also like|noticias relacionadas|artículos relacionados|articles similaires|kommentieren|kontakt|contact|zurück zu.{0,30}|anzeige|werbung|alle angaben ohne gewähr|\(noch keine bewertungen\))\W*$|anzeige\s*[,:–-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Teaser();

    [GeneratedRegex(@"caption|copyright|(?:image|img|photo|picture|bild|foto)-?(?:description|desc|credit|source|annotation|unterschrift|quelle)|(?:^|[\s_-])credits?(?:$|[\s_-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionNames();

    [GeneratedRegex(@"ingredient|zutat|składnik|skladnik|ingrédient",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IngredientNames();

    [GeneratedRegex(@"©|\(?\b(?:foto|fotos|photo|photos|bild|image|crédito|credit|credits|fuente|quelle)\s*:[^():.]{1,60}\)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credit();

    [GeneratedRegex(@"(?:^|\s)(?:entry-content|post-content|post-body|postbody|post-entry|article-body|articlebody|article-content|article__body|article-text|articletext|story-body|storybody|story-content|td-post-content|field-name-body|blog-post-body|single-content|c-entry-content|rich-text|artikel-text|beitragstext)(?:\s|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArticleBodyNames();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"(?:^|\s)(?:comments?|comment-?list|commentlist|comments-area|comment-\d+|disqus_thread)(?:\s|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommentThread();

    // Removed whatever their size: a comment thread or a cookie banner can be longer than the article.
    [GeneratedRegex(@"comment|kommentar|commentaire|comentario|commenti|disqus|cookie|consent|gdpr|newsletter|subscri|abonn|share|sharing|social|teilen|partage|compartir|condividi|breadcrumb|paywall|modal|popup|overlay|related|verwandt|recommend|empfehl|outbrain|taboola|skip-?link|print-?only|screen-?reader|sr-only|visually-?hidden",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StrongFurniture();

    [GeneratedRegex(@"-ad-|ai2html|banner|combx|community|cover-wrap|extra|footer|legends|menu|nav|remark|replies|rss|shoutbox|sidebar|skyscraper|supplemental|ad-break|agegate|pagination|pager|yom-remote|byline|dateline|author|tags|tag-?cloud|widget|promo|teaser|toolbar|signup|login|rating|trending|popular|meta-?data|post-?meta|entry-?meta|article-?meta|infobox|masthead|topbar|top-bar|bottom",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnlikelyContent();

    [GeneratedRegex(@"and|article|body|column|content|main|shadow|text|entry|story|post", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MaybeContent();

    [GeneratedRegex(@"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|artikel|inhalt|contenido|contenu|texte|testo|corpo|beitrag",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PositiveNames();

    [GeneratedRegex(@"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|byline|author|date|kommentar|werbung|anzeige",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegativeNames();
}
