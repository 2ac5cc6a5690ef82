using System.Globalization;
using System.Text;

namespace Agents.Benchmarks.Extraction;

/// <summary>
/// A news page of about 100 KB written for the benchmark: a header with navigation, a cookie banner, a
/// sidebar of links, an article of forty paragraphs with headings, a list, a table and code, ads between
/// paragraphs, a comment thread and a footer: the shape of the pages the extractor meets.
/// </summary>
internal static class MidSizePage
{
    public static string Build()
    {
        var html = new StringBuilder(120_000);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harbour works begin | Coast Daily</title>");
        html.Append("<script>window.dataLayer = []; function track(e) { dataLayer.push(e); }</script><style>body { font: 16px serif }</style></head><body>");
        html.Append("<div id=\"cookie-consent\"><p>We use cookies. <button>Accept</button></p></div>");
        html.Append("<header class=\"masthead\"><a href=\"/\">Coast Daily</a><nav><ul>");
        for (var i = 0; i < 30; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/section/{i}\">Section {i}</a></li>");
        }

        html.Append("</ul></nav></header><div class=\"page\"><aside class=\"sidebar\"><h3>Most read</h3><ul>");
        for (var i = 0; i < 25; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/story/{i}\">A most-read story number {i} with a long headline</a></li>");
        }

        html.Append("</ul></aside><article class=\"story\"><h1>Harbour works begin</h1><p class=\"byline\">By A. Reporter</p>");
        for (var i = 0; i < 40; i++)
        {
            if (i % 10 == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<h2>Part {i / 10 + 1}</h2>");
            }

            html.Append(CultureInfo.InvariantCulture,
                $"<p>Paragraph {i}: the harbour authority, after months of consultation with fishermen, ferry operators and residents, said on <em>Tuesday</em> that the works on the northern pier would begin next month, and that the <a href=\"/docs/plan-{i}.pdf\">published plan</a> keeps one berth open throughout, so that the morning ferry can run as usual while the cranes are on the quay.</p>");
            if (i % 8 == 4)
            {
                html.Append("<div class=\"ad ad-inline\"><span>Advertisement</span><a href=\"https://ads.example/click\">Buy now</a></div>");
            }
        }

        html.Append("<ul><li>Phase one: the northern pier, with the new fenders and lighting.</li><li>Phase two: the dredging of the channel, in winter.</li><li>Phase three: the new ferry terminal, with its waiting room.</li></ul>");
        html.Append("<table><tr><th>Phase</th><th>Start</th><th>Cost</th></tr>");
        for (var i = 1; i <= 12; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>Phase {i}</td><td>2026-{i:00}</td><td>{i * 1.5m:F1} M</td></tr>");
        }

        html.Append("</table><pre><code>berths_open = total_berths - berths_closed\nassert berths_open >= 1</code></pre>");
        html.Append("<div class=\"share\"><a href=\"https://social.example/share\">Share</a></div></article>");
        html.Append("<section id=\"comments\"><h3>Comments</h3>");
        for (var i = 0; i < 30; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"comment\"><p>Comment {i}: I have fished from that pier for forty years, and I hope they keep the old steps, which are the best place in town.</p></div>");
        }

        html.Append("</section></div><footer><p>Coast Daily, all rights reserved.</p><ul>");
        for (var i = 0; i < 20; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/legal/{i}\">Legal page {i}</a></li>");
        }

        html.Append("</ul></footer></body></html>");
        return html.ToString();
    }
}
