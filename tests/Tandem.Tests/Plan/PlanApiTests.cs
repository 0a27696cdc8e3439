using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;
using Tandem.Features.Plan;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Plan;

/// <summary>The plan through the API on a demo company's history (its "now" is 2026-11-02, in 2026-Q4).</summary>
public class PlanApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestApp> DemoAppAsync(string provider)
    {
        var (db, _) = await DemoFixture.LoadAsync(provider, 3_000);
        return await TestApp.StartOnAsync(db, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoFixture.Now), ownsDb: true);
    }

    private static Task<HttpResponseMessage> ReviewAsync(HttpClient client, int number, string decision, string? hash) =>
        client.PostAsJsonAsync($"/api/plans/{number}/reviews", new { decision, contentHash = hash }, TestApp.Json, Ct);

    private static async Task<PlanDto> DraftAsync(HttpClient client, object body)
    {
        var res = await client.PostAsJsonAsync("/api/plans", body, TestApp.Json, Ct);
        Assert.True(res.StatusCode == HttpStatusCode.Created, await res.Content.ReadAsStringAsync(Ct));
        return (await res.Content.ReadFromJsonAsync<PlanDto>(TestApp.Json, Ct))!;
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_plan_is_drafted_from_history_approved_by_both_sides_revised_and_paced(string provider)
    {
        await using var app = await DemoAppAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);

        // Bad input names its field.
        var zero = await marketing.Client.PostAsJsonAsync("/api/plans", new { period = "2026-Q4", target = 0 }, TestApp.Json, Ct);
        Assert.Contains("target", (await Problem.ReadAsync(zero, HttpStatusCode.BadRequest)).Errors.Keys);
        var past = await marketing.Client.PostAsJsonAsync("/api/plans", new { period = "2026-Q2", target = 100000 }, TestApp.Json, Ct);
        Assert.Contains("2026-Q2 is over", (await Problem.ReadAsync(past, HttpStatusCode.BadRequest)).Errors["period"][0]);

        // The demo ships the plan of record for this quarter.
        var demo = Assert.Single(await app.GetAsync<List<PlanSummaryDto>>("/api/plans"));
        Assert.Equal((1, PlanStatus.Approved, "2026-Q4"), (demo.Number, demo.Status, demo.Period));
        var current = await app.GetAsync<PlanDto>("/api/plans/1");

        var draft = await DraftAsync(marketing.Client, new { period = "2027-Q1", target = 500000, buffer = 0.1, split = "channel" });
        Assert.Equal((PlanStatus.Draft, "2027-Q1"), (draft.Status, draft.Period));
        Assert.True(draft.Content.Lines.Length > 1);
        Assert.All(draft.Content.Lines.SelectMany(l => l.Rates), r => Assert.True(r.Value > 0 && (r.Sample > 0 || r.OverrideReason is not null)));
        Assert.Equal(550000m, draft.RoundTrip, 0); // the weekly targets run forward give back target × (1 + buffer)
        Assert.StartsWith("To book 500,000 ", draft.Summary);

        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(marketing.Client, draft.Number, "Approve", draft.ContentHash)).StatusCode);
        var done = await ReviewAsync(sales.Client, draft.Number, "Approve", draft.ContentHash);
        Assert.True((await done.Content.ReadFromJsonAsync<PlanReviewResult>(TestApp.Json, Ct))!.Approved);

        // An approved plan never changes; a second plan for the period must revise it.
        var put = await marketing.Client.PutAsJsonAsync($"/api/plans/{draft.Number}", new { target = 1, version = draft.Version }, TestApp.Json, Ct);
        await Problem.ReadAsync(put, HttpStatusCode.Conflict);
        var rival = await marketing.Client.PostAsJsonAsync("/api/plans", new { period = "2027-Q1", target = 600000, currency = draft.Currency }, TestApp.Json, Ct);
        Assert.Contains($"plan #{draft.Number} (2027-Q1, {draft.Currency}) is approved", (await Problem.ReadAsync(rival, HttpStatusCode.Conflict)).Detail);
        var year = await marketing.Client.PostAsJsonAsync("/api/plans", new { period = "2027", target = 600000, currency = draft.Currency }, TestApp.Json, Ct);
        Assert.Contains($"plan #{draft.Number}", (await Problem.ReadAsync(year, HttpStatusCode.Conflict)).Detail);

        // A plan split by sales team instead: one line per team, the same round trip.
        var byTeam = await DraftAsync(marketing.Client, new { period = "2027-Q2", target = 400000, split = "team" });
        Assert.True(byTeam.Content.Lines.Length > 1);
        Assert.Equal(400000m, byTeam.RoundTrip, 0);
        var badSplit = await marketing.Client.PostAsJsonAsync("/api/plans", new { period = "2027-Q2", target = 1, split = "colour" }, TestApp.Json, Ct);
        Assert.Contains("'colour' is not a split", (await Problem.ReadAsync(badSplit, HttpStatusCode.BadRequest)).Errors["split"][0]);

        var revision = await DraftAsync(marketing.Client, new { basedOn = draft.Number, buffer = 0.2 });
        Assert.Equal((500000m, "channel"), (revision.Target, revision.Content.Inputs.Split));
        var diff = await app.GetAsync<List<DiffLine>>($"/api/plans/{draft.Number}/diff/{revision.Number}");
        Assert.Contains(diff, d => d.Text == "buffer: 10 % → 20 %");
        foreach (var who in new[] { sales, marketing })
            Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(who.Client, revision.Number, "Approve", revision.ContentHash)).StatusCode);
        var plans = await app.GetAsync<List<PlanSummaryDto>>("/api/plans");
        Assert.Equal(PlanStatus.Superseded, plans.Single(p => p.Number == draft.Number).Status);
        Assert.Equal(PlanStatus.Approved, plans.Single(p => p.Number == revision.Number).Status);

        // Pacing of the current plan counts what happened this quarter, and each number opens to its records.
        var pace = await app.GetAsync<PacingReport>("/api/plans/1/pacing");
        var line = current.Content.Lines.OrderByDescending(l => l.Share).First().Line;
        var inquiries = pace.Stages.Single(s => s.Line == line && s.Stage == "Inquiry");
        Assert.True(inquiries.ActualToDate > 0, "the demo company has inquiries this quarter");
        Assert.Equal(inquiries.ActualToDate, inquiries.Weeks.Sum(w => w.Actual));
        Assert.Equal(inquiries.PlanTotal - inquiries.PlanToDate > 0, inquiries.WeeksLeft > 0);
        var records = await app.GetAsync<DrillPage>($"/api/plans/1/pacing/records?line={line}&stage=Inquiry&pageSize=500");
        Assert.Equal(inquiries.ActualToDate, records.Total);
        Assert.All(records.Items, i => Assert.Equal("person", i.Kind));
        var week = inquiries.Weeks.First(w => w.Actual > 0);
        var weekRecords = await app.GetAsync<DrillPage>($"/api/plans/1/pacing/records?line={line}&stage=Inquiry&week={week.Week:yyyy-MM-dd}");
        Assert.Equal(week.Actual, weekRecords.Total);

        // The marketing SLA takes its weekly MQL and SAL targets from the approved plan.
        var sla = await app.GetAsync<Tandem.Features.Handoffs.SlaReportDto>("/api/sla/report?from=2026-10-05&to=2026-10-19");
        var c = current.Content;
        var w = Enumerable.Range(0, c.Weeks).Single(i => c.Week(i) == new DateOnly(2026, 10, 5));
        var first = sla.Marketing.Single(m => m.Week == new DateOnly(2026, 10, 5));
        Assert.Equal((int)Math.Ceiling(c.Lines.Sum(l => l.Weekly[1][w]) - 1e-9), first.MqlTarget);
        Assert.Equal((int)Math.Ceiling(c.Lines.Sum(l => l.Weekly[2][w]) - 1e-9), first.SalTarget);
        Assert.Equal(first.Mqls >= first.MqlTarget, first.MqlsMet);

        // The forecast uses the approved plan's target.
        var forecast = await app.GetAsync<ForecastReport>($"/api/forecast?period=2026-Q4&currency={current.Currency}&runs=2000");
        Assert.Equal((long)(current.Target * 100), forecast.Target);
        Assert.InRange(forecast.Simulation.PHit, 0, 1);
        var badRuns = await app.Client.GetAsync("/api/forecast?runs=0", Ct);
        Assert.Contains("runs", (await Problem.ReadAsync(badRuns, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_simultaneous_approvals_approve_the_plan_exactly_once(string provider)
    {
        await using var app = await DemoAppAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var draft = await DraftAsync(marketing.Client, new { period = "2027-Q1", target = 250000 });
        var answers = await Task.WhenAll(ReviewAsync(marketing.Client, draft.Number, "Approve", draft.ContentHash),
            ReviewAsync(sales.Client, draft.Number, "Approve", draft.ContentHash));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var plan = await app.GetAsync<PlanDto>($"/api/plans/{draft.Number}");
        Assert.Equal((PlanStatus.Approved, true, true), (plan.Status, plan.MarketingApproved, plan.SalesApproved));
    }
}
