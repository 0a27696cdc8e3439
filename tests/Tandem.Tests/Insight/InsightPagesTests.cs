using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;

namespace Tandem.Tests.Insight;

/// <summary>The Insight pages over demo data on both databases: they render, chart, and every number links to its records.</summary>
public partial class InsightPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("href=\"(/insight/drill/[^\"]+)\"")]
    private static partial Regex DrillLink();

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Insight_pages_render_over_demo_data_and_drill_into_records(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(400));
        await using var db = app.Db.Open();
        var viewer = await db.Users.FirstAsync(u => u.IsDemo && u.Role == Role.Marketing, Ct);
        using var browser = await app.SignInAsync(viewer.Email, DemoLogins.Password);

        foreach (var page in new[] { "/insight", "/insight?by=channel&stage=MQL&within=30", "/insight/channels", "/insight/channels?by=campaign",
                     "/insight/attribution", "/insight/attribution?model=time-decay&by=campaign", "/insight/win-loss?by=team", "/insight/win-loss?by=persona" })
        {
            var res = await browser.Client.GetAsync(page, Ct);
            var html = await res.Content.ReadAsStringAsync(Ct);
            Assert.True(res.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)res.StatusCode}");
            Assert.Contains("</html>", html);
            Assert.DoesNotContain("could not run", html);
            var links = DrillLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
            Assert.True(links.Count > 0, $"{page} has no drill-down links");
            var drill = await browser.Client.GetAsync(links[0], Ct);
            var drillHtml = await drill.Content.ReadAsStringAsync(Ct);
            Assert.True(drill.StatusCode == HttpStatusCode.OK, $"{links[0]} answered {(int)drill.StatusCode}");
            Assert.Contains("row-link", drillHtml);
        }
        var funnel = await browser.Client.GetStringAsync("/insight", Ct);
        Assert.Contains("<svg class=\"chart waterfall\"", funnel);
        // Chart marks are links too: waterfall bars to the cohort and stages, trend points to the people entering that month.
        Assert.Matches("<a href=\"/insight/drill/funnel[^\"]*\"><rect", funnel);
        Assert.Matches("<a href=\"/insight/drill/flow[^\"]*\"><circle", funnel);
        // Every table offers itself as CSV: the funnel table and the monthly flow table.
        Assert.Contains("/api/insight/funnel?format=csv", WebUtility.HtmlDecode(funnel));
        Assert.Contains("/api/insight/flow?interval=month&format=csv", WebUtility.HtmlDecode(funnel));

        // Channels: the money questions as bars that open their records, key columns first, a totals row, the rest behind "more columns".
        var channels = await browser.Client.GetStringAsync("/insight/channels", Ct);
        Assert.Contains("data-testid=\"cost-per-opportunity-chart\"", channels);
        Assert.Contains("data-testid=\"roi-chart\"", channels);
        Assert.Matches("<svg class=\"chart bars\"[^>]*>.*<a href=\"/insight/drill/channels[^\"]*\"><rect", channels);
        Assert.Contains("<tr class=\"totals\">", channels);
        Assert.Contains("More columns", channels);
        // Attribution: models side by side as grouped bars; Win/loss: reasons as bars and the win rate month by month.
        var attribution = await browser.Client.GetStringAsync("/insight/attribution", Ct);
        Assert.Matches("<svg class=\"chart bars grouped\"[^>]*>.*<a href=\"/insight/drill/attribution", attribution);
        var winLoss = await browser.Client.GetStringAsync("/insight/win-loss", Ct);
        Assert.Contains("data-testid=\"reasons-chart\"", winLoss);
        Assert.Contains("data-testid=\"win-rate-chart\"", winLoss);
        Assert.Matches("<a href=\"/insight/drill/deals[^\"]*\"><circle", winLoss);

        // Bad values in the address bar are explained on the page, not a 500.
        var bad = await browser.Client.GetStringAsync("/insight?by=shoe_size&from=2026-05-01&to=2026-01-01", Ct);
        Assert.Contains("shoe_size", bad);
        Assert.Contains("is after", bad);

        // The marketing leader's question: cost per opportunity by channel, from the API as CSV too.
        var csv = await app.Client.GetStringAsync("/api/insight/channels?by=channel&format=csv", Ct);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var column = Array.IndexOf(lines[0].Split(','), "costPerOpportunity");
        Assert.True(column > 0, lines[0]);
        Assert.Contains(lines.Skip(1), l => l.Split(',')[column] is { Length: > 0 } v && double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
