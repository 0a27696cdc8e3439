using System.Net;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>The SLA report's figures from a handful of leads whose fate is known.</summary>
public class SlaReportTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] v = [5, 1, 4, 2, 3, 10, 7, 6, 9, 8];
        Assert.Equal(5, SlaMath.Percentile(v, 0.5));
        Assert.Equal(9, SlaMath.Percentile(v, 0.9));
        Assert.Null(SlaMath.Percentile([], 0.5));
        Assert.Equal(new DateOnly(2026, 3, 2), SlaMath.WeekOf(new DateTime(2026, 3, 8, 23, 0, 0, DateTimeKind.Utc)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Compliance_first_touch_rejections_recycling_and_the_marketing_sla_add_up(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("r.com", ownerId: w.Reps[0]);
        var fast = await w.MqlAsync("a@r.com");
        var slow = await w.MqlAsync("b@r.com");
        var junk = await w.MqlAsync("c@r.com");
        var later = await w.MqlAsync("d@r.com");
        var rep = await w.SignInAsync(w.Reps[0]);

        app.Clock.Advance(TimeSpan.FromHours(1)); // 10:00: one business hour in
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{fast.Id}/attempts", new { kind = "Call" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{fast.Id}/accept", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{junk.Id}/reject", new { reason = "no-budget-or-timing" })).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(5)); // 15:00: first touch (due 13:00) missed for b and d
        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{slow.Id}/attempts", new { kind = "Email" })).StatusCode);

        var r = await app.GetAsync<SlaReportDto>("/api/sla/report?mqlTarget=3&salTarget=2");
        Assert.Equal((4, 2, 2, 0), (r.Total.Leads, r.Total.Met, r.Total.Breached, r.Total.Pending));
        Assert.Equal(0.5, r.Total.Compliance);
        Assert.Equal(1.0, r.Total.FirstTouchMedianHours);  // fast: 1 business hour; slow: 6
        Assert.Equal(6.0, r.Total.FirstTouchP90Hours);
        Assert.Equal(0.5, r.Total.AttemptsPerLead);
        var repRow = Assert.Single(r.ByRep);
        Assert.Equal(("rep1", 4, 1, 1), (repRow.Label, repRow.Leads, repRow.Accepted, repRow.Rejected));
        var reason = Assert.Single(r.Rejections);
        Assert.Equal(("no-budget-or-timing", "Webinar", "No campaign", 1), (reason.Reason, reason.Channel, reason.Campaign, reason.Count));
        var recycled = Assert.Single(r.Recycled);
        Assert.Equal((junk.PersonId, false), (recycled.PersonId, recycled.Requalified));
        var week = r.Marketing.Single(m => m.Week == new DateOnly(2026, 3, 2));
        Assert.Equal((4, 1, true, false), (week.Mqls, week.Sals, week.MqlsMet, week.SalsMet));
        Assert.Equal(r.Total.Leads, later.Id - fast.Id + 1);
    }
}
