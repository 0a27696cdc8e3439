using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Tandem.Components.Layout;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>
/// The SLA dashboard's rejections as a reason × channel pivot with a chart, its marketing and recycling counts opening
/// their records, custom reasons named by their label, the rep's Done tab with scores, and one lit sidebar entry.
/// </summary>
public partial class SlaDashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_pivot_sums_campaigns_away_orders_by_count_and_keeps_unknown_last()
    {
        var pivot = RejectionPivot.From([
            new RejectionRow("wrong-region", "Wrong region", "Webinar", "Spring", 2, 1),
            new RejectionRow("wrong-region", "Wrong region", "Webinar", "No campaign", 1, null),
            new RejectionRow("wrong-region", "Wrong region", "Unknown", "No campaign", 5, null),
            new RejectionRow("duplicate", "Duplicate", "PaidSearch", "Autumn", 4, 2),
            new RejectionRow("competitor", "Competitor", "PaidSearch", "Autumn", 0, 2),
        ]);
        Assert.Equal(["PaidSearch", "Webinar", "Unknown"], pivot.Channels); // 4 before 3; Unknown last although it has 5
        Assert.Equal(["wrong-region", "duplicate"], pivot.Rows.Select(r => r.Reason)); // a zero row is no row
        Assert.Equal([0, 3, 5], pivot.Rows[0].Counts);
        Assert.Equal(8, pivot.Rows[0].Total);
        Assert.Equal([4, 3, 5], pivot.ChannelTotals);
        Assert.Equal(12, pivot.Total);
        Assert.Empty(RejectionPivot.From([]).Rows);
    }

    [Fact]
    public void A_reason_reads_as_the_tables_label_then_the_catalogs_then_its_code_in_words()
    {
        var table = new Dictionary<string, string> { ["wrong-region"] = "Outside our sales regions", ["duplicate"] = "Already in the CRM" };
        Assert.Equal("Outside our sales regions", Reasons.Label("wrong-region", table));
        Assert.Equal("Already in the CRM", Reasons.Label("duplicate", table)); // an admin's relabel wins over the catalog
        Assert.Equal("Competitor", Reasons.Label("competitor", table));
        Assert.Equal("Not ideal customer", Reasons.Humanise("not-ideal-customer"));
        Assert.Equal("Budget frozen 2027", Reasons.Label("budget-frozen-2027", table));
        Assert.Equal("Said no on the phone", Reasons.Label("Said no on the phone", table)); // a person's words stay as written
        Assert.Equal("-odd-", Reasons.Humanise("-odd-"));
        Assert.Null(Reasons.Label(" ", table));
    }

    [Fact]
    public void A_sidebar_entry_yields_only_to_entries_below_it_by_whole_segments()
    {
        string[] entries = ["/sync/notes", "/handoff/team", "/handoff/dashboard"];
        Assert.Equal(["/handoff/team", "/handoff/dashboard"], NavItem.Below("/handoff", entries));
        Assert.Equal(["/sync/notes"], NavItem.Below("/sync", entries));
        Assert.Empty(NavItem.Below("/insight", entries));
        Assert.True(NavItem.IsUnder("/handoff/dashboard/leads?by=all", "/handoff/dashboard"));
        Assert.True(NavItem.IsUnder("/Handoff/12", "/handoff"));
        Assert.False(NavItem.IsUnder("/handoffs", "/handoff"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Rejections_pivot_by_reason_and_channel_and_every_dashboard_number_opens_its_records(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("p.com", ownerId: w.Reps[0]);
        // A custom reason, added through the API: its code must never reach a page.
        Assert.Equal(HttpStatusCode.Created, (await app.Client.PostAsJsonAsync("/api/handoffs/reasons",
            new { code = "wrong-region", label = "Outside our sales regions" }, Ct)).StatusCode);
        var a = await MqlAsync(w, "a@p.com", "Webinar");
        var b = await MqlAsync(w, "b@p.com", "Webinar");
        var c = await MqlAsync(w, "c@p.com", "PaidSearch");
        var d = await MqlAsync(w, "d@p.com", "PaidSearch");
        var rep = await w.SignInAsync(w.Reps[0]);
        foreach (var (h, reason) in new[] { (a, "wrong-region"), (b, "no-budget-or-timing"), (c, "wrong-region") })
            Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{h}/reject", new { reason })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{d}/accept", new { })).StatusCode);

        var manager = await w.SignInAsync(w.ManagerId);
        var page = await manager.Client.GetStringAsync("/handoff/dashboard", Ct);
        Assert.Contains("data-testid=\"rejection-pivot\"", page);
        Assert.Contains("data-testid=\"rejection-chart\"", page);
        Assert.Contains("Outside our sales regions", page);
        Assert.DoesNotContain(">wrong-region<", page);
        Assert.DoesNotContain("Rejection reasons by channel and campaign", page); // the flat list is gone
        Assert.Equal(2, PivotRow().Count(page));

        var links = DrillLink().Matches(page).Select(m => (Url: WebUtility.HtmlDecode(m.Groups[1].Value), Count: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Contains(links, l => l.Url.Contains("reason=wrong-region&channel=PaidSearch") && l.Count == 1);
        Assert.Contains(links, l => l.Url.Contains("reason=wrong-region") && !l.Url.Contains("channel=") && l.Count == 2);
        Assert.Contains(links, l => l.Url.Contains("channel=Webinar") && !l.Url.Contains("reason=") && l.Count == 2);
        Assert.Contains(links, l => l.Url.Contains("measure=mql") && l.Count == 4);
        Assert.Contains(links, l => l.Url.Contains("measure=sal") && l.Count == 1);
        Assert.Contains(links, l => l.Url.Contains("measure=recycled") && l.Count == 1);
        // The chart's bars open the same lists as the pivot's row totals.
        Assert.Matches("<a href=\"/handoff/dashboard/leads\\?[^\"]*reason=wrong-region\"><rect", page);
        foreach (var (url, count) in links.DistinctBy(l => l.Url))
        {
            var list = await manager.Client.GetStringAsync(url, Ct);
            Assert.Equal(count, DrillRow().Count(list));
        }

        var mqls = await manager.Client.GetStringAsync(links.First(l => l.Url.Contains("measure=mql")).Url, Ct);
        Assert.Contains("People who became MQLs", mqls);
        foreach (var h in new[] { a, b, c, d }) Assert.Contains($"href=\"/handoff/{h}\"", mqls);
        Assert.Contains("Paid search", mqls);
        var region = WebUtility.HtmlDecode(await manager.Client.GetStringAsync(links.First(l => l.Url.Contains("reason=wrong-region&channel=PaidSearch")).Url, Ct));
        Assert.Contains("reason: Outside our sales regions · channel: Paid search", region);
        Assert.Contains($"href=\"/handoff/{c}\"", region);

        // The lead page names the custom reason by its label, too.
        var lead = await rep.Client.GetStringAsync($"/handoff/{a}", Ct);
        Assert.Contains(": Outside our sales regions", lead);
        Assert.DoesNotContain("wrong-region<", lead);

        // Only the most specific sidebar entry is lit.
        Assert.Equal(["/handoff/dashboard"], ActiveNav().Matches(page).Select(m => m.Groups[1].Value));
        Assert.Equal(["/handoff"], ActiveNav().Matches(lead).Select(m => m.Groups[1].Value));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_done_tab_shows_each_leads_grade_and_score(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("s.com", ownerId: w.Reps[0]);
        var kept = await w.MqlAsync("a@s.com");
        var dropped = await w.MqlAsync("b@s.com");
        var rep = await w.SignInAsync(w.Reps[0]);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{kept.Id}/accept", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{dropped.Id}/reject", new { reason = "duplicate" })).StatusCode);

        var done = WebUtility.HtmlDecode(await rep.Client.GetStringAsync("/handoff?tab=done", Ct));
        Assert.Equal(2, Regex.Count(done, "data-testid=\"queue-row\""));
        Assert.Equal(2, Regex.Count(done, "data-testid=\"score\""));
        Assert.Equal(2, Regex.Count(done, "data-testid=\"grade\">[A-D]<"));
        Assert.Contains("Demo request +", done); // the rules behind the score, as on the Open tab
    }

    /// <summary>An MQL whose first touch came through <paramref name="channel"/> (the pivot's column); returns the handoff id.</summary>
    private static async Task<int> MqlAsync(HandoffWorld w, string email, string channel)
    {
        var res = await w.App.PostAsync<Features.Touches.BatchResult>("/api/touches:batch", new
        {
            touches = new[] { new { eventId = $"dash-{email}", email, type = "DemoRequest", channel, occurredAt = w.App.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5) } },
        });
        Assert.Equal(1, res.Mqls);
        var list = await w.App.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={await w.PersonIdAsync(email)}");
        return Assert.Single(list).Id;
    }

    [GeneratedRegex("""<a href="(/handoff/dashboard/leads\?[^"]+)"[^>]*>([0-9]+)</a>""")]
    private static partial Regex DrillLink();

    [GeneratedRegex("data-testid=\"drill-row\"")]
    private static partial Regex DrillRow();

    [GeneratedRegex("data-testid=\"pivot-row\"")]
    private static partial Regex PivotRow();

    [GeneratedRegex("""<a href="([^"]+)"[^>]*class="nav-item[^"]*\bactive\b""")]
    private static partial Regex ActiveNav();
}
