using Agents.Tools.Web.Extraction;

namespace Agents.Tools.Tests.Web.Extraction;

/// <summary>One small page per rule that picks or filters the main content.</summary>
public sealed class ExtractionRuleTests
{
    private static readonly Uri s_page = new("https://blog.example.com/2025/post.html");

    [Fact]
    public void ReadsTheArticleFromATextTemplateWhenTheBodyHoldsOnlyAStub()
    {
        const string html = """
            <html><head><title>Safer browsing</title></head><body>
            <div class="post"><h1>Safer browsing</h1>
            <script type="text/template">
              <p>TEMPLATE-TEXT: Threats on the web have become more sophisticated over the years, and attackers now change their sites within minutes.</p>
              <p>The new protection checks addresses in real time, so that pages which appeared only moments ago are recognised and blocked.</p>
              <p>It is designed so that the service never learns which pages a user visits, because only short hash prefixes are sent.</p>
              <p>Users can turn the protection on in their settings, and administrators can enable it for everyone in their organisation.</p>
            </script>
            <noscript>Please enable JavaScript to read this post.</noscript>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("TEMPLATE-TEXT: Threats on the web", page.Text);
        Assert.Contains("only short hash prefixes are sent", page.Text);
    }

    [Fact]
    public void IgnoresTextTemplatesWhenTheBodyHoldsTheArticle()
    {
        var paragraphs = string.Concat(Enumerable.Range(1, 6).Select(i =>
            $"<p>Paragraph {i} of the article tells the reader something new about the harbour, its boats, its workers and its long history.</p>"));
        var html = $"""
            <html><body><article>{paragraphs}</article>
            <script type="text/template"><p>TEMPLATE-COMMENT: {"{{author}}"} wrote a comment that is long enough to look like a paragraph of text.</p></script>
            </body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("Paragraph 6 of the article", page.Text);
        Assert.DoesNotContain("TEMPLATE-COMMENT", page.Text);
    }

    [Fact]
    public void ABombInsideATextTemplateIsBoundedLikeThePage()
    {
        var options = new MainContentExtractorOptions { MaxDepth = 50 };
        var bomb = string.Concat(Enumerable.Repeat("<div>", 20_000)) + "<p>DEEP-TEXT inside the template, long enough to count as a paragraph of an article, with a second clause, a third clause and a fourth one too.</p>";
        var html = $"<html><body><p>Stub.</p><script type=\"text/template\">{bomb}</script></body></html>";

        var page = new MainContentExtractor(options).Extract(html, s_page);

        Assert.Contains("DEEP-TEXT", page.Text);
        var healthy = new MainContentExtractor(options).Extract("<html><body><article><p>After the bomb, an ordinary page with an ordinary paragraph of text still extracts.</p></article></body></html>", s_page);
        Assert.Contains("ordinary paragraph", healthy.Text);
    }

    [Fact]
    public void ALongListOfSignatoriesDoesNotOutscoreTheLetterTheySign()
    {
        var names = string.Concat(Enumerable.Range(1, 150).Select(i => $"<strong>Signer {i}</strong>, University {i}<br>"));
        var html = $"""
            <html><body><div class="page">
            <div class="letter">
              <p>LETTER-TEXT: Our institutions are facing a moment of trial, and the free exchange of ideas is becoming more constricted.</p>
              <p>We refuse any false choice between justice and freedom, which cannot exist without each other, and we ask for room to disagree.</p>
              <p>If we will not defend the very thing on which our work depends, we should not expect anyone else to defend it for us.</p>
            </div>
            <table><tr><td>{names}</td><td>{names}</td></tr></table>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("LETTER-TEXT: Our institutions", page.Text);
        Assert.Contains("defend it for us", page.Text);
    }

    [Theory]
    [InlineData("<p>Read more: <a href=\"/other\">Another story entirely</a></p>")]
    [InlineData("<p>Lea también: El cantante da positivo en una prueba</p>")]
    [InlineData("<p>Lesen Sie auch die folgenden Beiträge:</p>")]
    [InlineData("<p>Bild: Werk/Hans Muster</p>")]
    [InlineData("<div>Follow The Daily Example on Twitter and Instagram</div>")]
    [InlineData("<p>Subscribe now to our e-paper edition for the full story.</p>")]
    [InlineData("<h3>Related posts</h3>")]
    [InlineData("<h2>Mehr zum Thema</h2>")]
    [InlineData("<p>Anzeige, enthält Affiliate-Links</p>")]
    [InlineData("<p>You must be logged in to post a comment.</p>")]
    [InlineData("<p>Dieser Text wurde am 3. Mai veröffentlicht.</p>")]
    public void DropsShortTeaserAndCreditLinesBetweenTheParagraphs(string teaser)
    {
        var html = $"""
            <html><body><article>
            <p>The harbour reopened on Monday after a month of repairs, and the first ferries left on time in the morning fog.</p>
            {teaser}
            <p>Read the timetable carefully, the captain said, because the evening crossings will change again in the spring.</p>
            <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("The harbour reopened on Monday", page.Text);
        Assert.Contains("Read the timetable carefully", page.Text);
        foreach (var word in new[] { "Read more", "Another story", "Lea también", "Lesen Sie", "Bild:", "Follow", "Subscribe", "Related", "Mehr zum", "Anzeige", "logged in", "veröffentlicht" })
        {
            Assert.DoesNotContain(word, page.Text);
        }
    }

    [Fact]
    public void ThePagesMarkedArticleBodyBeatsALongerCommaRichBlockElsewhere()
    {
        var bio = string.Concat(Enumerable.Range(1, 2).Select(i =>
            $"<p>BIO-TEXT {i}: born in a small town, raised by the sea, trained as a baker, a sailor, a teacher, a translator, a father and, later, a writer of many books.</p>"));
        var html = $"""
            <html><body>
            <div class="wrap"><div class="entry-content">
              <p>BODY-TEXT: The council voted on Tuesday to keep the old library open for another ten years.</p>
              <p>The building needs a new roof and new windows, which the town will pay for from next year's budget.</p>
              <p>Readers who had signed the petition gathered outside to celebrate with coffee and cake.</p>
            </div></div>
            <div class="profile"><div class="about">{bio}</div></div>
            </body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("BODY-TEXT: The council voted", page.Text);
        Assert.Contains("coffee and cake", page.Text);
        Assert.DoesNotContain("BIO-TEXT", page.Text);
    }

    [Fact]
    public void TheWholeMarkedArticleBodyIsKeptWhenTheScorerPicksOneOfItsSections()
    {
        var html = """
            <html><body><div itemprop="articleBody">
              <div class="intro"><p>FIRST-PART: The expedition left the harbour at dawn, with six boats, forty people, and supplies for a whole month at sea.</p>
              <p>By noon the wind had turned, the sea had risen, and the smallest boats had to be tied to the larger ones, one by one.</p>
              <p>In the evening, tired and wet, they reached the island, where the old lighthouse keeper, his wife and their dog welcomed them.</p></div>
              <div class="more"><h2>Day two</h2><p>SECOND-PART: mapping the northern shore</p></div>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("FIRST-PART", page.Text);
        Assert.Contains("SECOND-PART", page.Text);
    }

    [Fact]
    public void DropsAShortParagraphThatIsLargelyALinkToAnotherStory()
    {
        var html = """
            <html><body><article>
            <p>The harbour reopened on Monday after a month of repairs, and the first ferries left on time in the morning fog.</p>
            <p>Earlier this year, after the storm, the pier was closed: <a href="/2025/storm">LINK-TEASER what happened that night</a></p>
            <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
            <p>The captain of the first ferry, who has sailed this route for <a href="/people/captain">thirty years</a>, said the new pier is the best one yet.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.DoesNotContain("LINK-TEASER", page.Text);
        Assert.Contains("sailed this route for thirty years", page.Text);
    }

    [Fact]
    public void KeepsTheLeadInAnArticlesHeaderButDropsThePageBanner()
    {
        var html = """
            <html><body>
            <header><p>BANNER-TEXT: The Harbour Times, your daily paper for the coast, since 1921, in print and online.</p></header>
            <article>
              <header><h1>Ferries run again</h1><p>LEAD-TEXT: After a month of repairs, the harbour is open once more.</p></header>
              <p>The first ferries left on time in the morning fog, and the cafés on the quay opened their doors an hour early.</p>
              <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
              <p>The captain of the first ferry, who has sailed this route for thirty years, said the new pier is the best one yet.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("LEAD-TEXT", page.Text);
        Assert.DoesNotContain("BANNER-TEXT", page.Text);
    }

    [Fact]
    public void DropsMetadataBlocksNamedLikeArticleBylineOrEntryDate()
    {
        var html = """
            <html><body><article>
              <h1>Ferries run again</h1>
              <ul class="article__byline"><li>META-TEXT: published 12.03.2025, 08:30</li><li>by Ann Lee</li></ul>
              <p>The first ferries left on time in the morning fog, and the cafés on the quay opened their doors an hour early.</p>
              <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
              <span class="entry-date">DATE-TEXT: March 12</span>
              <p>The captain of the first ferry, who has sailed this route for thirty years, said the new pier is the best one yet.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("sailed this route for thirty years", page.Text);
        Assert.DoesNotContain("META-TEXT", page.Text);
        Assert.DoesNotContain("DATE-TEXT", page.Text);
    }

    [Fact]
    public void KeepsTheLeadBetweenTheHeadingAndTheBodyButNotTheCaption()
    {
        var html = """
            <html><body><div class="page">
              <h1>Ferries run again</h1>
              <div class="intro"><p>LEAD-TEXT: After a month of repairs the harbour is open once more, and the town hopes for a good summer.</p></div>
              <figure><img src="pier.jpg"><figcaption><p>CAPTION-TEXT: the new pier at dawn, seen from the lighthouse on the northern rock</p></figcaption></figure>
              <div class="body">
                <p>The first ferries left on time in the morning fog, and the cafés on the quay opened their doors an hour early.</p>
                <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
                <p>The captain of the first ferry, who has sailed this route for thirty years, said the new pier is the best one yet.</p>
              </div>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("sailed this route for thirty years", page.Text);
        Assert.Contains("LEAD-TEXT", page.Text);
        Assert.DoesNotContain("CAPTION-TEXT", page.Text);
        Assert.True(page.Text.IndexOf("LEAD-TEXT", StringComparison.Ordinal) < page.Text.IndexOf("The first ferries", StringComparison.Ordinal));
    }

    [Fact]
    public void ALongStretchOfTextBetweenTheHeadingAndTheBodyIsNoLead()
    {
        var teasers = string.Concat(Enumerable.Range(1, 7).Select(i =>
            $"<p>OTHER-STORY {i}: the summary of another story on this site, long enough to read like prose.</p>"));
        var body = string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"<p>Paragraph {i} of the article tells the reader something new about the harbour, its boats, its workers, its ferries and its long history.</p>"));
        var html = $"""
            <html><body><div class="page">
              <h1>Ferries run again</h1>
              <div class="more">{teasers}</div>
              <div class="main"><div class="body">{body}</div><p>Filed under: harbour</p></div>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("Paragraph 8 of the article", page.Text);
        Assert.DoesNotContain("OTHER-STORY", page.Text);
    }

    [Fact]
    public void KeepsAShortListOfPlainStepsInsideTheArticle()
    {
        var html = """
            <html><body><article>
              <h1>Moving the blog to HTTPS</h1>
              <p>The certificates are free now, so I finally moved every one of my sites to HTTPS over a quiet weekend.</p>
              <p>The hardest parts of the whole move, in the order I met them, were these three steps below.</p>
              <ul>
                <li><p>LIST-ITEM-ONE: Changing the links in the database</p></li>
                <li><p>LIST-ITEM-TWO: Fixing the images in old posts</p></li>
                <li><p>LIST-ITEM-THREE: Renewing the certificates by cron</p></li>
              </ul>
              <p>All in all, planning for HTTPS when a project starts makes the whole thing much easier in the long run.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("LIST-ITEM-ONE", page.Text);
        Assert.Contains("LIST-ITEM-THREE", page.Text);
    }

    [Fact]
    public void ASelfClosedTitleInAnIconDoesNotSwallowThePage()
    {
        var html = """
            <html><head><title>Ferries run again</title></head><body>
            <a href="/share"><svg viewBox="0 0 16 16"><title/><path d="M0 0h16v16H0z"/></svg></a>
            <article>
              <p>AFTER-ICON: The first ferries left on time in the morning fog, and the cafés on the quay opened early.</p>
              <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Equal("Ferries run again", page.Title);
        Assert.Contains("AFTER-ICON", page.Text);
    }

    [Fact]
    public void ReadsAPageWithoutABodyWhoseArticleTheParserLeavesInTheHead()
    {
        var html = """
            <html><head><title>Ferries run again</title><meta charset="utf-8">
            <div class="article">
              <p>NO-BODY-TEXT: The first ferries left on time in the morning fog, and the cafés on the quay opened early.</p>
              <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again.</p>
            </div>
            </html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Equal("Ferries run again", page.Title);
        Assert.Contains("NO-BODY-TEXT", page.Text);
        // The title leads once, as the heading; the title element itself is not read as text.
        Assert.Equal(2, page.Text.Split("Ferries run again").Length);
    }

    [Fact]
    public void ReadsTheProseOfThePageWhenTheScorerPicksASmallBoxBesideIt()
    {
        // Each paragraph sits alone in a deep grid of wrappers, so no container collects their scores; the bio's commas win.
        var parts = string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"""<div class="row"><div class="col"><div class="cell"><div class="box"><div class="inner"><div class="text">ARTICLE-PART {i}: the harbour reopened after a long month of repairs and the first ferries left on time in the fog while the town watched from the quay and the old lighthouse keeper waved at every boat that passed</div></div></div></div></div></div>"""));
        var html = $"""
            <html><body><h1>Ferries run again</h1>{parts}
            <div class="bio"><p>Ann Lee, born in Leeds, lives in Cork, writes, sails, cooks, and teaches.</p>
            <p>She has written for papers, magazines, radio, and television, in English, Irish, and French.</p>
            <p>Her next book, on harbours, lighthouses, and ferries, comes out in spring.</p></div>
            </body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("ARTICLE-PART 1:", page.Text);
        Assert.Contains("ARTICLE-PART 9:", page.Text);
    }

    [Fact]
    public void ReadsTheJsonLdArticleBodyWhenTheMarkupHoldsOnlyATeaser()
    {
        var html = """
            <html><head><title>Ferries run again | The Harbour Times</title>
            <script type="application/ld+json">{ "broken": </script>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Ferries run again",
              "articleBody":"LD-FIRST: The first ferries left on time in the morning fog, and the cafés on the quay opened their doors an hour early.\nLD-SECOND: Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.\nLD-THIRD: The captain of the first ferry, who has sailed this route for thirty years, said the new pier is the best one yet."}]}</script>
            </head><body>
            <article><p>The first ferries left on time in the morning fog…</p><p>Subscribe to read on.</p></article>
            </body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Equal("Ferries run again", page.Title);
        Assert.Contains("LD-SECOND: Workers", page.Text);
        Assert.Contains("\n\nLD-THIRD", page.Markdown);
    }

    [Fact]
    public void KeepsASiblingWhoseClassesMostlyMatchTheContents()
    {
        var html = """
            <html><body><main>
            <div class="box grid col-8 recipe-ingredients"><p>INGREDIENT-ONE: 250 g flour for the dough</p><p>INGREDIENT-TWO: 3 eggs and 100 g of sugar</p></div>
            <div class="box grid col-8 recipe-steps">
              <p>Mix the flour, the eggs and the sugar in a large bowl, then knead the dough until it is smooth, soft and shiny.</p>
              <p>Let the dough rest for an hour in a warm place, covered with a cloth, until it has doubled in size, more or less.</p>
              <p>Bake the cake for forty minutes at 180 degrees, then let it cool on a rack before you cut it, serve it, and enjoy it.</p>
            </div>
            <div class="box notes"><p>OTHER-BOX: More cakes from our kitchen</p><p>Seasonal recipes for every week</p></div>
            </main></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("INGREDIENT-TWO", page.Text);
        Assert.Contains("enjoy it", page.Text);
        Assert.DoesNotContain("OTHER-BOX", page.Text);
    }

    [Fact]
    public void KeepsARecipesMetaBlockWithItsServingsAndTimes()
    {
        var html = """
            <html><body><article>
              <h1>Lemon cake</h1>
              <p class="recipe-meta">RECIPE-META: serves 12, ready in 1 hour 20 minutes</p>
              <p>Mix the flour, the eggs and the sugar in a large bowl, then knead the dough until it is smooth, soft and shiny.</p>
              <p>Let the dough rest for an hour in a warm place, covered with a cloth, until it has doubled in size, more or less.</p>
              <p>Bake the cake for forty minutes at 180 degrees, then let it cool on a rack before you cut it, serve it, and enjoy it.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("RECIPE-META", page.Text);
    }

    private const string ThreeParagraphs = """
        <p>The first ferries left on time in the morning fog, and the cafés on the quay opened their doors an hour early.</p>
        <p>Workers, engineers and divers had rebuilt the pier, the cranes and the old lighthouse, which now shines again at night.</p>
        <p>The captain of the first ferry, who has sailed this route for thirty years, said the new pier is the best one yet.</p>
        """;

    [Fact]
    public void LeavesOutACaptionNamedByItsClassBesideItsPicture()
    {
        var html = $"""
            <html><body><article><h1>Ferries run again</h1>
            <div class="wp-caption"><img src="/pier.jpg" alt="The pier"><p class="wp-caption-text">CAPTION-TEXT: the new pier at dawn, seen from the lighthouse</p></div>
            <span class="image-wrap"><img src="/crane.jpg" alt=""><span class="rte-image--imageCaption">OTHER-CAPTION: a crane on the quay</span></span>
            {ThreeParagraphs}
            <div class="card"><div class="player" data-video="/pier.mp4"></div><div class="item-caption"><p>CARD-CAPTION: a caption class with no picture near it is the text of a card.</p></div></div>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("best one yet", page.Text);
        Assert.DoesNotContain("CAPTION-TEXT", page.Text);
        Assert.DoesNotContain("OTHER-CAPTION", page.Text);
        Assert.Contains("CARD-CAPTION", page.Text);
    }

    [Fact]
    public void LeavesOutCopyrightAndPhotoCreditLines()
    {
        var html = $"""
            <html><body><article><h1>Ferries run again</h1>
            {ThreeParagraphs}
            <p>The pier seen from the lighthouse. © AFP / Ann Lee</p>
            <div>Night falls on the quay. (Photo: Harbour Archive)</div>
            <p>The lighthouse keeper, who photographed the pier, said: it is the best one yet.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("the best one yet.", page.Text);
        Assert.DoesNotContain("AFP / Ann Lee", page.Text);
        Assert.DoesNotContain("Harbour Archive", page.Text);
        Assert.Contains("photographed the pier", page.Text);
    }

    [Fact]
    public void LeavesOutAFiguresCaptionWhateverElementHoldsIt()
    {
        var html = $"""
            <html><body><article><h1>Ferries run again</h1>
            {ThreeParagraphs}
            <figure><img src="/pier.jpg" alt=""><h2 class="figure__title">FIGURE-LINE: the pier at dawn</h2><span class="who">Ann Lee</span></figure>
            <p>The harbour master thanked the divers, who had worked through the winter storms to finish the pier.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("thanked the divers", page.Text);
        Assert.DoesNotContain("FIGURE-LINE", page.Text);
    }

    [Fact]
    public void KeepsAnIngredientListWhoseItemsAreLinks()
    {
        var html = """
            <html><body><article><h1>Lemon cake</h1>
            <p>This lemon cake is an old family recipe, quick to make, moist for days, and loved by everyone who has tried it.</p>
            <ul class="wprm-recipe-ingredients">
              <li>300 g <a href="https://shop.example/butter">INGREDIENT-BUTTER</a></li>
              <li>200 g <a href="https://shop.example/sugar">sugar</a></li>
              <li>6 <a href="https://shop.example/eggs">eggs</a></li>
            </ul>
            <ul class="more"><li><a href="/cakes">LINK-LIST: more cakes</a></li><li><a href="/pies">pies</a></li></ul>
            <p>Mix the flour, the eggs and the sugar in a large bowl, then beat in the butter until the batter is smooth and pale.</p>
            <p>Bake the cake for forty minutes at 180 degrees, then let it cool on a rack before you cut it, serve it, and enjoy it.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("INGREDIENT-BUTTER", page.Text);
        Assert.DoesNotContain("LINK-LIST", page.Text);
    }

    [Fact]
    public void AddsTheIngredientsBoxBesideTheMethodTheScorerPicked()
    {
        var steps = string.Concat(Enumerable.Range(1, 5).Select(i =>
            $"<p>Step {i}: mix the flour, the eggs and the sugar in a large bowl, then beat in the butter until the batter is smooth, pale and light.</p>"));
        var html = $"""
            <html><body><div class="recipe">
            <div class="box-left"><div class="recipe-ingredients-box"><table>
              <tr itemprop="recipeIngredient"><td>300 g</td><td><a href="/p/butter">INGREDIENT-BUTTER</a></td></tr>
              <tr itemprop="recipeIngredient"><td>200 g</td><td><a href="/p/sugar">sugar</a></td></tr>
            </table></div></div>
            <div class="box-right"><div class="method">{steps}</div></div>
            <div class="box-bottom"><p>OTHER-BOX: more cakes from our kitchen</p></div>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("Step 5:", page.Text);
        Assert.Contains("INGREDIENT-BUTTER", page.Text);
        Assert.True(page.Text.IndexOf("INGREDIENT-BUTTER", StringComparison.Ordinal) < page.Text.IndexOf("Step 1:", StringComparison.Ordinal));
        Assert.DoesNotContain("OTHER-BOX", page.Text);
    }

    [Fact]
    public void LeavesOutAPicturesBoxWithItsShortLineButKeepsABoxOfParagraphsWithAPicture()
    {
        var html = $"""
            <html><body><article><h1>Ferries run again</h1>
            {ThreeParagraphs}
            <div class="visual"><picture><img src="/pier.jpg" alt=""></picture><div class="description"><strong>BOX-LINE: the pier at dawn</strong><span>Ann Lee</span></div></div>
            <div class="story-part"><img src="/quay.jpg" alt=""><p>KEPT-PARAGRAPH: the harbour master thanked the divers, who had worked through the winter storms.</p></div>
            <p>The lighthouse keeper, who has watched the works all winter, said the new pier is the best one yet.</p>
            </article></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("watched the works", page.Text);
        Assert.Contains("KEPT-PARAGRAPH", page.Text);
        Assert.DoesNotContain("BOX-LINE", page.Text);
    }

    [Fact]
    public void LeavesOutTheCommentThreadOfAShortPostInEveryPass()
    {
        var comments = string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"<li id=\"comment-{i}\"><cite>Reader {i}</cite><p>COMMENT-{i}: what a lovely short post, thank you for sharing it with all of us here, and see you soon.</p></li>"));
        var html = $"""
            <html><body><div id="content">
            <div class="post"><h1>Ferries run again</h1><p>SHORT-POST: the first ferries left on time this morning, in the fog.</p></div>
            <ol class="commentlist">{comments}</ol>
            </div></body></html>
            """;

        var page = new MainContentExtractor().Extract(html, s_page);

        Assert.Contains("SHORT-POST", page.Text);
        Assert.DoesNotContain("COMMENT-", page.Text);
    }
}
