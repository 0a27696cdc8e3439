using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Cadence;

namespace Tandem.Tests.Cadence;

public class ScorecardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly KpiDefinition Cost = new("cpo", "Cost per opportunity", "cost-per-opportunity", KpiOwner.Marketing, KpiKind.Monitored,
        KpiTiming.Lagging, Target: 1000, GreenAt: 1.0, AmberAt: 0.8);

    [Theory]
    [InlineData(1000.0, "Green")]
    [InlineData(1200.0, "Amber")] // 1000 / 1200 = 0.83
    [InlineData(1300.0, "Red")]   // 0.77
    [InlineData(0.0, "Green")]    // no cost at all meets any cost target
    public void Lower_is_better_metrics_grade_target_over_value(double value, string status) =>
        Assert.Equal(status, KpiGrade.Of(Cost, value, 1000, higherIsBetter: false).ToString());

    [Fact]
    public void Missing_values_and_targets_are_named_not_NaN()
    {
        Assert.Equal(KpiStatus.NoData, KpiGrade.Of(Cost, null, 1000, false));
        Assert.Equal(KpiStatus.NoData, KpiGrade.Of(Cost, double.NaN, 1000, false));
        Assert.Equal(KpiStatus.NoTarget, KpiGrade.Of(Cost, 5, null, false));
        Assert.Equal(KpiStatus.NoTarget, KpiGrade.Of(Cost, 5, 0, true));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Changing_the_kpi_set_needs_a_marketing_and_a_sales_approval(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var (_, rep) = await app.SignInAsNewAsync(Role.SalesRep);
        var bad = await marketing.Client.PostAsJsonAsync("/api/kpis", new { kpis = new object[] { new { key = "x y", name = "", metric = "nope", owner = "Marketing", kind = "Managed", timing = "Leading" } } }, TestApp.Json, Ct);
        var problem = await Problem.AssertFieldAsync(bad, "kpis[0].metric");
        Assert.True(problem.Errors.ContainsKey("kpis[0].key") && problem.Errors.ContainsKey("kpis[0].name"));

        var kpis = Scorecards.Seeds().Take(3).Append(Cost).ToList();
        var res = await marketing.Client.PostAsJsonAsync("/api/kpis", new { kpis, note = "Add cost per opportunity" }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var draft = (await res.Content.ReadFromJsonAsync<ScorecardDto>(TestApp.Json, Ct))!;
        Assert.Equal("Draft", draft.Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { draft.ContentHash }, TestApp.Json, Ct)).StatusCode);
        await Problem.AssertFieldAsync(await marketing.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { contentHash = "" }, TestApp.Json, Ct), "contentHash");
        var one = await marketing.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { draft.ContentHash }, TestApp.Json, Ct);
        Assert.Equal("Draft", (await one.Content.ReadFromJsonAsync<ScorecardDto>(TestApp.Json, Ct))!.Status);
        var two = await sales.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { draft.ContentHash }, TestApp.Json, Ct);
        Assert.Equal("Active", (await two.Content.ReadFromJsonAsync<ScorecardDto>(TestApp.Json, Ct))!.Status);

        var live = await app.GetAsync<SyncRecordDto>("/api/sync/2026-W10");
        Assert.Equal(draft.Number, live.Document.Scorecard.Version);
        Assert.Equal(["mqls", "sals", "sqls", "cpo"], live.Document.Scorecard.Kpis.Select(k => k.Key));
    }
}
