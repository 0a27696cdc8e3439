using System.Net;
using System.Text.RegularExpressions;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>Every number of the SLA dashboard opens the leads behind it, and breaches are split by clause.</summary>
public partial class SlaDrillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Breaches_are_split_by_clause_and_each_count_opens_as_many_leads(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("d.com", ownerId: w.Reps[0]);
        var fast = await w.MqlAsync("a@d.com");
        var slow = await w.MqlAsync("b@d.com");
        var silent = await w.MqlAsync("c@d.com");
        var rep = await w.SignInAsync(w.Reps[0]);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{fast.Id}/attempts", new { kind = "Call" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{fast.Id}/accept", new { })).StatusCode);
        app.Clock.Advance(TimeSpan.FromDays(3)); // Thursday 10:00: first touch (Mon 13:00) and decision (Thu 09:00) missed for b and c
        rep = await w.SignInAsync(w.Reps[0]); // the sign-in of three days ago has expired
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{slow.Id}/attempts", new { kind = "Email" })).StatusCode);

        var r = await app.GetAsync<SlaReportDto>("/api/sla/report");
        Assert.Equal((3, 1, 2), (r.Total.Leads, r.Total.Met, r.Total.Breached));
        Assert.Equal((2, 0, 2), (r.Total.FirstTouchBreached, r.Total.AttemptsBreached, r.Total.DecisionBreached));
        Assert.Equal("2 Mar", Assert.Single(r.ByWeek).Label);

        // The dashboard's links, followed: each list has as many rows as its number.
        var manager = await w.SignInAsync(w.ManagerId);
        var page = await manager.Client.GetStringAsync("/handoff/dashboard", Ct);
        var links = DrillLink().Matches(page).Select(m => (Url: WebUtility.HtmlDecode(m.Groups[1].Value), Count: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Contains(links, l => l.Url.Contains("measure=first-touch") && l.Count == 2);
        Assert.Contains(links, l => l.Url.Contains("by=rep") && l.Url.Contains("measure=met") && l.Count == 1);
        foreach (var (url, count) in links.DistinctBy(l => l.Url))
        {
            var list = await manager.Client.GetStringAsync(url, Ct);
            Assert.Equal(count, DrillRow().Count(list));
        }
        var breached = await manager.Client.GetStringAsync(links.First(l => l.Url.Contains("by=all") && l.Url.Contains("measure=breached")).Url, Ct);
        Assert.Contains($"href=\"/handoff/{slow.Id}\"", breached);
        Assert.Contains($"href=\"/handoff/{silent.Id}\"", breached);
        Assert.DoesNotContain($"href=\"/handoff/{fast.Id}\"", breached);
    }

    [GeneratedRegex("""<a href="(/handoff/dashboard/leads\?[^"]+)"[^>]*>([0-9]+)</a>""")]
    private static partial Regex DrillLink();

    [GeneratedRegex("data-testid=\"drill-row\"")]
    private static partial Regex DrillRow();
}
