using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Cadence;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.Cadence;

/// <summary>KPIs over any Insight report (decision 0094): checked at save, measured in the record, drillable.</summary>
public class ReportKpiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Kpi(string key, string report, string metric, string[]? filters = null, Dictionary<string, string>? options = null,
        double target = 2) =>
        new { key, name = key, metric, owner = "Marketing", kind = "Managed", timing = "Leading", target, report, filters, options };

    private static Dictionary<string, string> FromMql => new() { ["stage"] = "MQL" };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_unknown_report_column_filter_or_option_is_refused_naming_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        Task<HttpResponseMessage> Draft(object kpi) => marketing.Client.PostAsJsonAsync("/api/kpis", new { kpis = new[] { kpi } }, TestApp.Json, Ct);

        var report = await Problem.AssertFieldAsync(await Draft(Kpi("a", "pipelines", "cohort")), "kpis[0].report");
        Assert.Contains("funnel", report.Errors["kpis[0].report"][0]); // names the reports there are
        var metric = await Problem.AssertFieldAsync(await Draft(Kpi("a", "deals", "winrate")), "kpis[0].metric");
        Assert.Contains("winRate", metric.Errors["kpis[0].metric"][0]); // lists the report's columns
        await Problem.AssertFieldAsync(await Draft(Kpi("a", "funnel", "cohort", ["planet:Mars"])), "kpis[0].filters");
        await Problem.AssertFieldAsync(await Draft(Kpi("a", "funnel", "cohort", options: new() { ["stage"] = "Someday" })), "kpis[0].options.stage");
        await Problem.AssertFieldAsync(await Draft(Kpi("a", "funnel", "cohort", options: new() { ["colour"] = "blue" })), "kpis[0].options.colour");
        // The columns follow the options: a funnel that starts at MQL has no "reached MQL" column.
        await Problem.AssertFieldAsync(await Draft(Kpi("a", "funnel", "reachedMQL", options: FromMql)), "kpis[0].metric");
        Assert.Equal(HttpStatusCode.Created, (await Draft(Kpi("a", "funnel", "reachedSQL", options: FromMql))).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_report_kpi_is_measured_with_its_filters_in_the_record_and_drills_to_its_people(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("ann@acme.com"); // a webinar lead, MQL this week
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var kpis = new[]
        {
            (object)Scorecards.Seeds()[0],
            Kpi("webinar-mqls", "funnel", "cohort", ["channel:Webinar"], FromMql),
            Kpi("email-mqls", "funnel", "cohort", ["channel:Email"], FromMql),
            Kpi("mql-to-sql", "funnel", "rateSQL", null, FromMql, target: 20),
        };
        var res = await marketing.Client.PostAsJsonAsync("/api/kpis", new { kpis }, TestApp.Json, Ct);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var draft = (await res.Content.ReadFromJsonAsync<ScorecardDto>(TestApp.Json, Ct))!;
        await marketing.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { draft.ContentHash }, TestApp.Json, Ct);
        await sales.Client.PostAsJsonAsync($"/api/kpis/{draft.Number}/approve", new { draft.ContentHash }, TestApp.Json, Ct);

        var doc = (await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}")).Document;

        var byKey = doc.Scorecard.Kpis.ToDictionary(k => k.Key);
        var webinar = byKey["webinar-mqls"];
        Assert.Equal(("funnel/cohort", "count", 1.0, 2.0, "Red"), (webinar.Metric, webinar.Unit, webinar.Value, webinar.Target, webinar.Status));
        Assert.Equal(byKey["mqls"].Value, webinar.Value); // the report and the catalogue count the same MQLs
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 1.0], webinar.Trend);
        Assert.Equal(("person", 1), (webinar.RecordKind, webinar.RecordsTotal));
        Assert.Equal([lead.PersonId], webinar.Records);
        Assert.Equal((0.0, "Red"), (byKey["email-mqls"].Value!.Value, byKey["email-mqls"].Status)); // the filter holds
        var rate = byKey["mql-to-sql"];
        Assert.Equal(("percent", 0.0), (rate.Unit, rate.Value)); // a rate reads as a percentage, as the catalogue's do

        using var browser = await app.SignInAsync(w.Email(w.Reps[0]));
        var html = await browser.Client.GetStringAsync($"/sync/{CadenceWorld.Week}", Ct);
        Assert.Contains($"href=\"/sync/{CadenceWorld.Week}/kpi/webinar-mqls\"", html);
        var drill = await browser.Client.GetStringAsync($"/sync/{CadenceWorld.Week}/kpi/webinar-mqls", Ct);
        Assert.Contains($"href=\"/people/{lead.PersonId}\"", drill);
    }

    [Fact]
    public void A_report_kpi_cannot_take_the_plan_as_target_and_a_catalogue_kpi_takes_no_report_options()
    {
        var k = new KpiDefinition("k", "K", "cohort", KpiOwner.Shared, KpiKind.Managed, KpiTiming.Leading, TargetFromPlan: true, Report: "funnel");
        Assert.Contains(KpiGrade.Problems(k), p => p.Field == "targetFromPlan");
        var c = new KpiDefinition("k", "K", "mqls", KpiOwner.Shared, KpiKind.Managed, KpiTiming.Leading, Filters: ["channel:Email"]);
        Assert.Contains(KpiGrade.Problems(c), p => p.Field == "report");
        Assert.Empty(KpiGrade.Problems(Scorecards.Seeds()[0]));
    }
}
