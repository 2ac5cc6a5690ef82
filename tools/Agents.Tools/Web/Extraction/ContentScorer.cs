using HtmlAgilityPack;

namespace Agents.Tools.Web.Extraction;

/// <summary>
/// Readability's scorer over one parsed page: marks furniture as removed (without touching the tree, whose
/// removals cost a scan of the parent's children each), measures every element bottom-up, scores the
/// containers of paragraphs, and picks the best container plus the siblings that belong with it.
/// Every walk is iterative, so depth costs heap, never stack.
/// </summary>
internal sealed class ContentScorer
{
    private const int MinParagraphLength = 25;
    private const int AncestorLevels = 5;
    private const int MinListLines = 5;
    private const int MinMarkedProse = 200;
    private const double NarrowerShare = 0.8;
    private const double ElsewhereShare = 0.8;
    private const int ShortLine = 60;
    private const int MinLeadLength = 80;
    private const int SmallContent = 2_000;
    private const double ProseFactor = 4.0;
    private const int ProseMargin = 1_500;
    private const int MinProseParagraph = 80;
    private const double MaxProseLinkDensity = 0.2;
    private const double MaxLeadLinkDensity = 0.1;
    private const int MaxLeadParagraphs = 6;
    private const int MaxLeadLength = 1_500;
    private const int MaxCaptionLength = 300;
    private const int MaxIngredientsLength = 5_000;
    private const int MaxIngredientBlocks = 8;

    private static readonly HashSet<string> s_blockTags = new(StringComparer.Ordinal)
    {
        "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section", "article", "main", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    };

    private static readonly HashSet<string> s_scoredTags = new(StringComparer.Ordinal)
    {
        "p", "pre", "td", "h2", "h3", "h4", "h5", "h6",
    };

    private static readonly NodeStats s_empty = new();

    private readonly Dictionary<HtmlNode, NodeStats> _stats = [];
    private readonly ExtractionPasses _passes;

    public ContentScorer(HtmlNode body, ExtractionPasses passes)
    {
        Body = body;
        _passes = passes;
    }

    public HtmlNode Body { get; }

    /// <summary>Elements and comments the renderer skips, with their whole subtrees.</summary>
    public HashSet<HtmlNode> Removed { get; } = [];

    public ExtractionPasses Passes => _passes;

    /// <summary>Characters of the lead found before the content: text that does not say the pass found the article.</summary>
    public int LeadLength { get; private set; }

    public NodeStats StatsOf(HtmlNode node) => _stats.TryGetValue(node, out var stats) ? stats : s_empty;

    /// <summary>Runs the cleaning, measuring and scoring; returns the content's top-level elements in document order.</summary>
    public List<HtmlNode> SelectContent()
    {
        var (weak, captions) = MarkFurniture();
        var order = Measure();

        // A weakly-named element ("sidebar", "author") holding most of the page's text is the page's wrapper, not furniture.
        var total = StatsOf(Body).TextLength;
        var removedWeak = false;
        foreach (var element in weak)
        {
            if (StatsOf(element).TextLength * 2 < total || total < 1_000)
            {
                Removed.Add(element);
                removedWeak = true;
            }
        }

        // A caption is a line or two under a picture; a long "caption" block, or one holding most of the page, is the page's text under a loose name.
        foreach (var element in captions)
        {
            var length = StatsOf(element).TextLength;
            if (length > 0 && length < MaxCaptionLength && length * 2 < total)
            {
                Removed.Add(element);
                removedWeak = true;
            }
        }

        if (removedWeak)
        {
            order = Measure();
        }

        var candidates = ScoreParagraphs(order);
        var top = PickTop(candidates);
        if (top is not null && _passes.HasFlag(ExtractionPasses.WeighClasses))
        {
            top = PreferArticleBody(top, order);
        }

        if (top is null)
        {
            return [Body];
        }

        var content = WithSiblings(top);
        var contentLength = content.Sum(c => StatsOf(c).TextLength - StatsOf(c).LinkTextLength);
        if (contentLength < SmallContent)
        {
            // A small pick beside much more prose elsewhere is a bio or a teaser box that beat an article split into
            // many plain blocks; the page's prose paragraphs, wherever they are, are then the better guess (jusText's idea).
            var prose = ProseParagraphs(order);
            var proseLength = prose.Sum(c => StatsOf(c).TextLength);
            if (proseLength > contentLength * ProseFactor && proseLength - contentLength > ProseMargin)
            {
                return prose;
            }
        }

        if (_passes.HasFlag(ExtractionPasses.WeighClasses))
        {
            AddIngredients(content, order);
        }

        if (_passes.HasFlag(ExtractionPasses.CleanConditionally))
        {
            var lead = LeadBefore(content[0], order);
            LeadLength = lead.Sum(l => StatsOf(l).TextLength);
            content.InsertRange(0, lead);
        }

        return content;
    }

    /// <summary>
    /// The lead (standfirst) between the page's main heading and the content: many pages set it apart from the body,
    /// in the article's header or a box of its own, where neither the scorer nor the sibling rule reach it.
    /// Only a few paragraphs of plain prose count; more text there is other furniture.
    /// </summary>
    private List<HtmlNode> LeadBefore(HtmlNode first, List<HtmlNode> order)
    {
        var start = order.IndexOf(first);
        var heading = start < 0 ? -1 : order.FindIndex(0, start, n => n.Name == "h1");
        var afterHeading = heading < 0 ? null : NextMeasured(order[heading]);
        if (afterHeading is null)
        {
            return [];
        }

        var lead = new List<HtmlNode>();
        var length = 0;
        foreach (var paragraph in Paragraphs(order, order.IndexOf(afterHeading, heading), start))
        {
            var stats = StatsOf(paragraph);
            if (stats.TextLength < MinLeadLength || stats.LinkDensity > MaxLeadLinkDensity
                || BoilerplatePatterns.IsTeaser(TableRenderer.InlineText(paragraph, Removed, escapePipes: false)))
            {
                continue;
            }

            lead.Add(paragraph);
            length += stats.TextLength;
            if (lead.Count > MaxLeadParagraphs || length > MaxLeadLength)
            {
                return [];
            }
        }

        return lead;
    }

    /// <summary>
    /// A recipe's ingredients, marked as such by the page, join the content when the scorer picked the method without them:
    /// recipe templates set the list apart in a box of its own, short lines of links the scorer cannot rate as prose.
    /// </summary>
    private void AddIngredients(List<HtmlNode> content, List<HtmlNode> order)
    {
        var roots = content.ToHashSet();
        var aboveContent = new HashSet<HtmlNode>();
        foreach (var root in content)
        {
            for (var up = root.ParentNode; up is not null && aboveContent.Add(up); up = up.ParentNode)
            {
            }
        }

        var positions = new List<int>();
        var added = new List<(HtmlNode Block, int Position)>();
        var length = 0;
        HtmlNode? after = null;
        for (var i = 0; i < order.Count; i++)
        {
            var element = order[i];
            if (roots.Contains(element))
            {
                positions.Add(i);
            }

            if (after is not null)
            {
                if (element != after)
                {
                    continue;
                }

                after = null;
            }

            if (element.NodeType != HtmlNodeType.Element || element.Name is not ("div" or "section" or "ul" or "ol" or "table" or "dl")
                || !BoilerplatePatterns.MarksIngredients(element))
            {
                continue;
            }

            if (aboveContent.Contains(element) || InsideAny(element, roots))
            {
                // The content has its ingredients already.
                return;
            }

            // The outermost marked block stands for all inside it.
            after = NextMeasured(element);
            var size = StatsOf(element).TextLength;
            if (size > 0 && length + size <= MaxIngredientsLength && added.Count < MaxIngredientBlocks)
            {
                length += size;
                added.Add((element, i));
            }
        }

        // Each block goes in document order among the content's own blocks, counted from the last so that earlier inserts do not shift the later ones.
        for (var k = added.Count - 1; k >= 0; k--)
        {
            var at = positions.FindIndex(p => p > added[k].Position);
            content.Insert(at < 0 ? content.Count : at, added[k].Block);
        }
    }

    private static bool InsideAny(HtmlNode node, HashSet<HtmlNode> ancestors)
    {
        for (var up = node.ParentNode; up is not null; up = up.ParentNode)
        {
            if (ancestors.Contains(up))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every paragraph of the page long enough and free enough of links to be prose, in document order.</summary>
    private List<HtmlNode> ProseParagraphs(List<HtmlNode> order) =>
        [.. Paragraphs(order, 0, order.Count).Where(p => StatsOf(p).TextLength >= MinProseParagraph && StatsOf(p).LinkDensity < MaxProseLinkDensity)];

    /// <summary>
    /// The paragraphs (a p, or a div or span without blocks inside) among order[from..to), in document order, none
    /// inside another; figures are passed over, since a caption is no paragraph of the text.
    /// </summary>
    private IEnumerable<HtmlNode> Paragraphs(List<HtmlNode> order, int from, int to)
    {
        HtmlNode? after = null;
        for (var i = Math.Max(from, 0); i < to; i++)
        {
            var element = order[i];
            if (after is not null)
            {
                // Still inside a paragraph or a figure: order is pre-order, so their descendants come first.
                if (element != after)
                {
                    continue;
                }

                after = null;
            }

            if (element.NodeType != HtmlNodeType.Element)
            {
                continue;
            }

            var isParagraph = element.Name == "p" || (element.Name is "div" or "span" && !StatsOf(element).HasBlockChild);
            if (isParagraph || element.Name is "figure" or "figcaption")
            {
                after = NextMeasured(element);
            }

            if (isParagraph)
            {
                yield return element;
            }
        }
    }

    /// <summary>
    /// Whether two class lists share most of their names: the parts of one article built from the same grid
    /// ("box col-8 recipe-ingredients" beside "box col-8 recipe-steps") differ in one name, not in all.
    /// </summary>
    private static bool SimilarClasses(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        var left = a.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var right = b.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shared = left.Intersect(right, StringComparer.Ordinal).Count();
        return shared * 2 > Math.Max(left.Length, right.Length);
    }

    /// <summary>The node that follows <paramref name="node"/>'s subtree in the measured order (removed nodes are not in it).</summary>
    private HtmlNode? NextMeasured(HtmlNode node)
    {
        var next = Next(node, Body, skipChildren: true);
        while (next is not null && (Removed.Contains(next) || next.NodeType is not (HtmlNodeType.Element or HtmlNodeType.Text)))
        {
            next = Next(next, Body, skipChildren: true);
        }

        return next;
    }

    /// <summary>One pre-order walk: tags, roles, hidden elements and strong class names are removed; weak class names and captions are returned for a size check.</summary>
    private (List<HtmlNode> Weak, List<HtmlNode> Captions) MarkFurniture()
    {
        var weak = new List<HtmlNode>();
        var captions = new List<HtmlNode>();
        var useClasses = _passes.HasFlag(ExtractionPasses.StripUnlikely);
        var node = Body.FirstChild;
        while (node is not null)
        {
            var skip = false;
            if (node.NodeType == HtmlNodeType.Comment)
            {
                Removed.Add(node);
                skip = true;
            }
            else if (node.NodeType == HtmlNodeType.Element)
            {
                if (BoilerplatePatterns.RemovedTags.Contains(node.Name))
                {
                    Removed.Add(node);
                    skip = true;
                }
                else if (node.Name is not ("body" or "main" or "article" or "a" or "table" or "tbody" or "tr" or "td" or "th" or "pre" or "code")
                    && BoilerplatePatterns.IsFurniture(node, useClasses, out var strong))
                {
                    if (strong)
                    {
                        Removed.Add(node);
                        skip = true;
                    }
                    else
                    {
                        weak.Add(node);
                    }
                }
                else if (useClasses && BoilerplatePatterns.IsCaption(node))
                {
                    captions.Add(node);
                }
            }

            node = Next(node, Body, skip);
        }

        return (weak, captions);
    }

    /// <summary>Bottom-up sums over the elements not removed; returns them in pre-order for the scoring pass.</summary>
    private List<HtmlNode> Measure()
    {
        _stats.Clear();
        var order = new List<HtmlNode>();
        var node = (HtmlNode?)Body;
        while (node is not null)
        {
            var skip = Removed.Contains(node);
            if (!skip && node.NodeType is HtmlNodeType.Element or HtmlNodeType.Text)
            {
                order.Add(node);
            }

            node = Next(node, Body, skip);
        }

        for (var i = order.Count - 1; i >= 0; i--)
        {
            var current = order[i];
            if (current.NodeType == HtmlNodeType.Text)
            {
                if (current.ParentNode is { } parent)
                {
                    var text = ((HtmlTextNode)current).Text;
                    var stats = GetOrAdd(parent);
                    var length = TextMeasure.CollapsedLength(text);
                    var commas = TextMeasure.Commas(text);
                    stats.TextLength += length;
                    stats.Commas += commas;
                    stats.LooseTextLength += length;
                    stats.LooseCommas += commas;
                }

                continue;
            }

            var own = GetOrAdd(current);
            switch (current.Name)
            {
                case "a":
                    own.LinkTextLength = own.TextLength;
                    break;
                case "p":
                    own.Paragraphs++;
                    break;
                case "li":
                    own.ListItems++;
                    break;
                case "img":
                    own.Images++;
                    break;
                case "br":
                    own.LineBreaks++;
                    break;
            }

            if (current != Body && current.ParentNode is { } up)
            {
                var into = GetOrAdd(up);
                into.TextLength += own.TextLength;
                into.LinkTextLength += own.LinkTextLength;
                into.Commas += own.Commas;
                into.Paragraphs += own.Paragraphs;
                into.ListItems += own.ListItems;
                into.Images += own.Images;
                into.LineBreaks += own.LineBreaks;
                var isBlock = own.HasBlockChild || s_blockTags.Contains(current.Name);
                into.HasBlockChild |= isBlock;
                if (!isBlock)
                {
                    into.LooseTextLength += own.TextLength;
                    into.LooseCommas += own.Commas;
                }
            }
        }

        return order;
    }

    private List<HtmlNode> ScoreParagraphs(List<HtmlNode> order)
    {
        var candidates = new List<HtmlNode>();
        foreach (var element in order)
        {
            if (element.NodeType != HtmlNodeType.Element)
            {
                continue;
            }

            var stats = StatsOf(element);
            var scored = s_scoredTags.Contains(element.Name)
                || (element.Name is "div" or "section" or "article" or "span" or "font" or "center" && !stats.HasBlockChild);
            HtmlNode? ancestor;
            double score;
            if (scored && stats.TextLength >= MinParagraphLength)
            {
                score = 1.0 + CommaScore(stats.Commas, stats.TextLength, stats.LineBreaks) + Math.Min(stats.TextLength / 100, 3);
                ancestor = element.ParentNode;
            }
            else if (stats.HasBlockChild && stats.LooseTextLength >= MinParagraphLength && element.Name is not ("ul" or "ol" or "table" or "tr" or "tbody"))
            {
                // Loose text beside blocks scores as a paragraph inside this element, as readability's wrapping makes it.
                score = 1.0 + CommaScore(stats.LooseCommas, stats.LooseTextLength, 0) + Math.Min(stats.LooseTextLength / 100, 3);
                ancestor = element;
            }
            else
            {
                continue;
            }

            for (var level = 0; level < AncestorLevels && ancestor is not null && ancestor.NodeType == HtmlNodeType.Element; level++)
            {
                var candidate = GetOrAdd(ancestor);
                if (!candidate.IsCandidate)
                {
                    candidate.IsCandidate = true;
                    candidate.Score = InitialScore(ancestor);
                    candidates.Add(ancestor);
                }

                var divider = level switch { 0 => 1, 1 => 2, _ => level * 3 };
                candidate.Score += score / divider;
                if (ancestor == Body)
                {
                    break;
                }

                ancestor = ancestor.ParentNode;
            }
        }

        foreach (var candidate in candidates)
        {
            var stats = StatsOf(candidate);
            stats.Score *= 1 - stats.LinkDensity;
        }

        return candidates;
    }

    private HtmlNode? PickTop(List<HtmlNode> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        candidates.Sort((a, b) => StatsOf(b).Score.CompareTo(StatsOf(a).Score));
        var top = candidates[0];
        var topScore = StatsOf(top).Score;

        // Readability: when several strong candidates share an ancestor, the content is split across them and the ancestor holds it all.
        var alternatives = candidates.Skip(1).Take(4).Where(c => StatsOf(c).Score >= topScore * 0.75).ToList();
        if (alternatives.Count >= 3)
        {
            for (var parent = top.ParentNode; parent is not null && parent != Body && parent.NodeType == HtmlNodeType.Element; parent = parent.ParentNode)
            {
                var contained = alternatives.Count(a => IsAncestor(parent, a));
                if (contained >= 3)
                {
                    top = parent;
                    break;
                }
            }
        }

        // A lone child says nothing its parent does not; the parent may also hold the title and the headings.
        while (top != Body && top.ParentNode is { } only && only != Body && only.NodeType == HtmlNodeType.Element && ElementChildCount(only) == 1)
        {
            top = only;
        }

        return top;
    }

    /// <summary>
    /// The page's own mark of its article (&lt;article&gt;, itemprop="articleBody", "entry-content" and the like) beats the scorer's pick
    /// when it holds about as much prose: the scorer can be fooled by a long list or a bio, the mark rarely lies.
    /// </summary>
    private HtmlNode PreferArticleBody(HtmlNode top, List<HtmlNode> order)
    {
        HtmlNode? marked = null;
        var markedProse = 0.0;
        foreach (var element in order)
        {
            if (element.NodeType == HtmlNodeType.Element && BoilerplatePatterns.MarksArticleBody(element))
            {
                var prose = Prose(element);
                if (prose > markedProse)
                {
                    marked = element;
                    markedProse = prose;
                }
            }
        }

        if (marked is null || marked == top || markedProse < MinMarkedProse)
        {
            return top;
        }

        // Inside the marked body the scorer found one part of it (a section, a paragraph's wrapper): the whole body is the article.
        if (IsAncestor(marked, top))
        {
            return marked;
        }

        var topProse = Prose(top);

        if (IsAncestor(top, marked))
        {
            return markedProse >= topProse * NarrowerShare ? marked : top;
        }

        return markedProse >= topProse * ElsewhereShare ? marked : top;
    }

    private double Prose(HtmlNode element)
    {
        var stats = StatsOf(element);
        return stats.TextLength - stats.LinkTextLength;
    }

    private List<HtmlNode> WithSiblings(HtmlNode top)
    {
        if (top == Body || top.ParentNode is not { } parent)
        {
            return [top];
        }

        var topStats = StatsOf(top);
        var threshold = Math.Max(10, topStats.Score * 0.2);
        var topClass = top.GetAttributeValue("class", "");
        var content = new List<HtmlNode>();
        var pendingHeadings = new List<HtmlNode>();
        for (var sibling = parent.FirstChild; sibling is not null; sibling = sibling.NextSibling)
        {
            if (sibling.NodeType != HtmlNodeType.Element || Removed.Contains(sibling))
            {
                continue;
            }

            if (BelongsWithTop(sibling, top, topStats, topClass, threshold))
            {
                // A heading right before included content titles it.
                content.AddRange(pendingHeadings);
                pendingHeadings.Clear();
                content.Add(sibling);
            }
            else if (sibling.Name is "h2" or "h3" or "h4" or "h5" or "h6")
            {
                pendingHeadings.Add(sibling);
            }
            else if (StatsOf(sibling).TextLength > 0)
            {
                pendingHeadings.Clear();
            }
        }

        return content;
    }

    private bool BelongsWithTop(HtmlNode sibling, HtmlNode top, NodeStats topStats, string topClass, double threshold)
    {
        if (sibling == top)
        {
            return true;
        }

        var stats = StatsOf(sibling);
        var bonus = topClass.Length > 0 && SimilarClasses(sibling.GetAttributeValue("class", ""), topClass) ? topStats.Score * 0.2 : 0;
        if (stats.IsCandidate && stats.Score + bonus >= threshold)
        {
            return true;
        }

        if (sibling.Name is "p" || (sibling.Name is "div" && !stats.HasBlockChild))
        {
            var density = stats.LinkDensity;
            if (stats.TextLength > 80)
            {
                return density < 0.25;
            }

            return stats.TextLength > 0 && density == 0 && TextMeasure.EndsSentence(sibling);
        }

        return sibling.Name is "ul" or "ol" or "table" or "pre" or "blockquote" && stats.TextLength > 80 && stats.LinkDensity < 0.25;
    }

    /// <summary>
    /// Readability's point per comma, except in text broken into short lines: a list of names and affiliations
    /// ("Ann Lee, Yale University" on each line) has a comma in every line and would outscore the article it signs.
    /// </summary>
    private static int CommaScore(int commas, int textLength, int lineBreaks) =>
        lineBreaks >= MinListLines && textLength / (lineBreaks + 1) < ShortLine ? 0 : commas;

    private double InitialScore(HtmlNode element)
    {
        var score = element.Name switch
        {
            "div" => 5,
            "pre" or "td" or "blockquote" => 3,
            "address" or "ol" or "ul" or "dl" or "dd" or "dt" or "li" or "form" => -3,
            "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => -5,
            "article" or "main" => 10,
            _ => 0,
        };
        return _passes.HasFlag(ExtractionPasses.WeighClasses) ? score + BoilerplatePatterns.ClassWeight(element) : score;
    }

    private NodeStats GetOrAdd(HtmlNode node)
    {
        if (!_stats.TryGetValue(node, out var stats))
        {
            stats = new NodeStats();
            _stats[node] = stats;
        }

        return stats;
    }

    private static int ElementChildCount(HtmlNode node)
    {
        var count = 0;
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child.NodeType == HtmlNodeType.Element)
            {
                count++;
            }
            else if (child.NodeType == HtmlNodeType.Text && !string.IsNullOrWhiteSpace(((HtmlTextNode)child).Text))
            {
                return int.MaxValue;
            }
        }

        return count;
    }

    private static bool IsAncestor(HtmlNode ancestor, HtmlNode node)
    {
        for (var up = node.ParentNode; up is not null; up = up.ParentNode)
        {
            if (up == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The next node in document order under <paramref name="root"/>, skipping the children of <paramref name="node"/> when asked.</summary>
    public static HtmlNode? Next(HtmlNode node, HtmlNode root, bool skipChildren)
    {
        if (!skipChildren && node.HasChildNodes)
        {
            return node.FirstChild;
        }

        for (HtmlNode? up = node; up is not null && up != root; up = up.ParentNode)
        {
            if (up.NextSibling is { } sibling)
            {
                return sibling;
            }
        }

        return null;
    }
}
