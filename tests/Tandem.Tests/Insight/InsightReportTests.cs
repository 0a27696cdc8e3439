using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Insight;
using static Tandem.Tests.Insight.InsightScenario;

namespace Tandem.Tests.Insight;

/// <summary>Every report over a small funnel whose figures are worked out by hand in the comments.</summary>
public class InsightReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Ann (Email, campaign "Spring mail" costing 300.00 over Jan–Feb): Inquiry 5 Jan, MQL 10 Jan (definition:v2), SAL 12 Jan, SQL 20 Feb, deal 1,000.00 won 1 Apr.
    /// Bob (Email): Inquiry 7 Jan, MQL 30 Apr (113 days later; definition:v1).
    /// Cat (Webinar, title "VP Marketing", property segment=Enterprise): Inquiry 20 Jan only.
    /// Dan (Webinar): Inquiry 2 Feb, disqualified 3 Feb ("Student").
    /// Eve (Email): Inquiry 5 Mar (outside Jan–Feb), deal 500.00 EUR lost 10 Apr ("Price"), no touches.
    /// </summary>
    internal static async Task<TestApp> ScenarioAsync(string provider)
    {
        var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var db = app.Db.Open(app.Clock);
        var s = new InsightScenario(db);
        var spring = await s.CampaignAsync("Spring mail", Channel.Email, 300_00, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        await s.CampaignAsync("Webinar series", Channel.Webinar, 100_00);
        var rep = await s.UserAsync("Rita Rep", "West");
        var acme = await s.AccountAsync("Acme", "Software", 120, "EMEA");
        var ann = await s.PersonAsync("ann@acme.test", Channel.Email,
            [(LifecycleStage.Inquiry, D(1, 5), "import"), (LifecycleStage.MQL, D(1, 10), "definition:v2"), (LifecycleStage.SAL, D(1, 12), "sla:accept"),
             (LifecycleStage.SQL, D(2, 20), "opportunity"), (LifecycleStage.Customer, D(4, 1), "opportunity:won")],
            campaignId: spring, accountId: acme, ownerId: rep, title: "Data Engineer");
        var bob = await s.PersonAsync("bob@acme.test", Channel.Email,
            [(LifecycleStage.Inquiry, D(1, 7), "import"), (LifecycleStage.MQL, D(4, 30), "definition:v1")], accountId: acme);
        await s.PersonAsync("cat@other.test", Channel.Webinar, [(LifecycleStage.Inquiry, D(1, 20), "touch")], title: "VP Marketing",
            props: new() { ["segment"] = "Enterprise" });
        await s.PersonAsync("dan@school.test", Channel.Webinar,
            [(LifecycleStage.Inquiry, D(2, 2), "touch"), (LifecycleStage.Disqualified, D(2, 3), "manual")], reason: "Student");
        var eve = await s.PersonAsync("eve@else.test", Channel.Email, [(LifecycleStage.Inquiry, D(3, 5), "touch")]);
        // Ann's touches: Email (first, lead creation), Webinar, Content, Outbound meeting just before the deal.
        await s.TouchAsync(ann, D(1, 4), Channel.Email, TouchType.EmailClick, spring);
        await s.TouchAsync(ann, D(1, 5), Channel.Email, TouchType.FormFill, spring);
        await s.TouchAsync(ann, D(1, 25), Channel.Webinar, TouchType.WebinarAttended);
        await s.TouchAsync(ann, D(2, 10), Channel.Content, TouchType.ContentDownload);
        await s.TouchAsync(ann, D(2, 19), Channel.Outbound, TouchType.Meeting);
        await s.TouchAsync(bob, D(1, 7), Channel.Email, TouchType.EmailClick);
        await s.DealAsync(ann, 1_000_00, D(2, 20), Outcome.Won, D(4, 1), ownerId: rep, accountId: acme);
        await s.DealAsync(eve, 500_00, D(3, 6), Outcome.Lost, D(4, 10), currency: "EUR", reason: "Price");
        return app;
    }

    internal static async Task<InsightTable> GetAsync(TestApp app, string url)
    {
        var res = await app.Client.GetAsync(url, Ct);
        Assert.True(res.IsSuccessStatusCode, $"{url}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync(Ct)}");
        return (await res.Content.ReadFromJsonAsync<InsightTable>(TestApp.Json, Ct))!;
    }

    internal static double? V(InsightTable t, string column, params string[] keys) =>
        (t.Row(keys) ?? throw new Xunit.Sdk.XunitException($"no row {string.Join('/', keys)} in {t.Report}")).Values[t.IndexOf(column)];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Cohort_conversion_velocity_and_drill_down_by_channel(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        var t = await GetAsync(app, "/api/insight/funnel?from=2026-01-01&to=2026-03-01&by=channel&within=90");
        // Email: Ann and Bob (Eve joined in March). Both reached MQL; only Ann within 90 days; Ann went on to SAL, SQL and Customer.
        Assert.Equal(2, V(t, "cohort", "Email"));
        Assert.Equal(2, V(t, "reachedMQL", "Email"));
        Assert.Equal(1.0, V(t, "rateMQL", "Email"));
        Assert.Equal(1, V(t, "withinMQL", "Email"));
        Assert.Equal(0.5, V(t, "rateWithinMQL", "Email"));
        Assert.Equal(0.5, V(t, "stepSAL", "Email"));
        Assert.Equal(1.0, V(t, "stepCustomer", "Email"));
        // Days to MQL: Ann 5, Bob 113: median 59, 75th percentile 5 + 0.75 × 108 = 86.
        Assert.Equal(59, V(t, "medianDaysMQL", "Email"));
        Assert.Equal(86, V(t, "p75DaysMQL", "Email"));
        // Webinar: Cat and Dan, nobody went further: rates are 0, velocity has no value (null, never NaN).
        Assert.Equal(2, V(t, "cohort", "Webinar"));
        Assert.Equal(0.0, V(t, "rateMQL", "Webinar"));
        Assert.Null(V(t, "medianDaysMQL", "Webinar"));
        Assert.Null(V(t, "stepSAL", "Webinar"));

        var drill = await app.Client.GetFromJsonAsync<DrillPage>(t.Row("Email")!.Drill[t.IndexOf("withinMQL")]!, TestApp.Json, Ct);
        Assert.Equal(["ann@acme.test"], drill!.Items.Select(i => i.Detail!.Split(" · ")[1]));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_slice_field_splits_the_cohort(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        async Task<Dictionary<string, double?>> Cohort(string by) =>
            (await GetAsync(app, $"/api/insight/funnel?by={by}")).Rows.ToDictionary(r => r.Keys[0], r => r.Values[0]);
        Assert.Equal(3, (await Cohort("channel"))["Email"]);
        Assert.Equal(2, (await Cohort("industry"))["Software"]);
        Assert.Equal(2, (await Cohort("employees"))["51-200"]);
        Assert.Equal(2, (await Cohort("region"))["EMEA"]);
        Assert.Equal(1, (await Cohort("persona"))["Executive"]);
        Assert.Equal(1, (await Cohort("persona"))["Practitioner"]);
        Assert.Equal(3, (await Cohort("persona"))["Unknown"]);
        Assert.Equal(1, (await Cohort("owner"))["Rita Rep"]);
        Assert.Equal(1, (await Cohort("team"))["West"]);
        Assert.Equal(1, (await Cohort("definition"))["v2"]);
        Assert.Equal(1, (await Cohort("definition"))["v1"]);
        Assert.Equal(1, (await Cohort("campaign"))["Spring mail"]);
        Assert.Equal(2, (await Cohort("source"))["EmailClick"]); // Ann and Bob
        Assert.Equal(1, (await Cohort("property:segment"))["Enterprise"]);
        Assert.Equal(4, (await Cohort("property:segment"))[Dimension.None]);
        // Filters narrow before splitting.
        var webinarExecs = await GetAsync(app, "/api/insight/funnel?filter=channel:Webinar&by=persona");
        Assert.Equal(["Executive", "Unknown"], webinarExecs.Rows.Select(r => r.Keys[0]));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_input_gets_an_answer_naming_the_field(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        async Task<Problem> Bad(string url) => await Problem.ReadAsync(await app.Client.GetAsync(url, Ct), HttpStatusCode.BadRequest);

        var unknown = await Bad("/api/insight/funnel?by=shoe_size");
        Assert.Contains("shoe_size", unknown.Errors["by"][0]);
        Assert.Contains("filter", (await Bad("/api/insight/deals?filter=colour:red")).Errors.Keys);
        Assert.Contains("from", (await Bad("/api/insight/deals?from=2026-05-01&to=2026-01-01")).Errors.Keys);
        Assert.Contains("model", (await Bad("/api/insight/attribution?model=magic")).Errors.Keys);
        Assert.Contains("by", (await Bad("/api/insight/attribution?by=industry")).Errors.Keys);
        Assert.Contains("stage", (await Bad("/api/insight/funnel?stage=Nurture")).Errors.Keys);
        Assert.Contains("interval", (await Bad("/api/insight/flow?interval=fortnight")).Errors.Keys);

        // A period with no data: empty tables, never NaN or a division by zero.
        foreach (var report in Reports.All)
        {
            var empty = await GetAsync(app, $"/api/insight/{report.Name}?from=2020-01-01&to=2020-02-01");
            Assert.DoesNotContain(empty.Rows, r => r.Values.Any(v => v is { } x && (double.IsNaN(x) || double.IsInfinity(x))));
            if (report.Name != ChannelsReport.Name) Assert.Empty(empty.Rows);
        }
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Deals_in_several_currencies_are_reported_per_currency(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        var t = await GetAsync(app, "/api/insight/deals");
        Assert.Equal(1000, V(t, "pipeline", "All", "USD"));
        Assert.Equal(500, V(t, "pipeline", "All", "EUR"));
        Assert.Equal(1.0, V(t, "winRate", "All", "USD"));
        Assert.Equal(0.0, V(t, "winRate", "All", "EUR"));
        Assert.Equal(40, V(t, "cycleMedianDays", "All", "USD")); // 20 Feb → 1 Apr
        var reasons = await GetAsync(app, "/api/insight/reasons");
        Assert.Equal(1, V(reasons, "count", "All", ReasonsReport.Lost, "Price"));
        // Reasons are counted under the catalog's words (decision 0084): "Student" is "Student or job seeker".
        Assert.Equal(1, V(reasons, "count", "All", ReasonsReport.Disqualified, "Student or job seeker"));

        var csv = await app.Client.GetStringAsync("/api/insight/deals?format=csv", Ct);
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.StartsWith("segment,currency,opportunities,pipeline", lines[0]);
        Assert.True(lines.Contains("All,EUR,1,500,0,0,1,0,0,0,,,,35"), csv); // lost after 35 days
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Channels_show_cost_per_stage_and_roi(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        // Jan–Feb: Spring mail's whole 300.00 falls in the period; the undated webinar series counts in full (100.00).
        var t = await GetAsync(app, "/api/insight/channels?by=channel&from=2026-01-01&to=2026-03-01");
        Assert.Equal(300, V(t, "cost", "Email", "USD"));
        Assert.Equal(2, V(t, "inquiries", "Email", "USD"));
        Assert.Equal(1, V(t, "mqls", "Email", "USD"));
        Assert.Equal(150, V(t, "costPerInquiry", "Email", "USD"));
        Assert.Equal(300, V(t, "costPerMql", "Email", "USD"));
        Assert.Equal(300, V(t, "costPerOpportunity", "Email", "USD"));
        Assert.Equal(100, V(t, "cost", "Webinar", "USD"));
        // Over all time Ann's won deal (1,000.00) returns 1000 / 300 on Email.
        var all = await GetAsync(app, "/api/insight/channels?by=campaign");
        Assert.Equal(1000.0 / 300, V(all, "roi", "Spring mail", "USD")!.Value, 3);
        // Half of January–February is 29.5 of 59 days: half the cost.
        var jan = await GetAsync(app, "/api/insight/channels?by=channel&from=2026-01-01&to=2026-01-30T12:00:00Z");
        Assert.Equal(150, V(jan, "cost", "Email", "USD"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Attribution_credits_add_up_and_deals_without_touches_are_shown(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        // Ann's path before the deal: Email click (FT), Email form (LC), Webinar, Content, Outbound meeting (OC).
        // W-shaped: FT 30 + LC 30 + OC 30 and 10 over Webinar and Content: Email 600.00, Outbound 300.00, Webinar 50.00, Content 50.00.
        var w = await GetAsync(app, "/api/insight/attribution?model=w-shaped");
        Assert.Equal(600, V(w, "pipeline", "Email", "USD"));
        Assert.Equal(300, V(w, "pipeline", "Outbound", "USD"));
        Assert.Equal(50, V(w, "pipeline", "Webinar", "USD"));
        Assert.Equal(500, V(w, "pipeline", AttributionReport.NoTouch, "EUR"));
        // Last touch skips sales' own meeting: the content download.
        var last = await GetAsync(app, "/api/insight/attribution?model=last-touch");
        Assert.Equal(1000, V(last, "pipeline", "Content", "USD"));
        var oc = await GetAsync(app, "/api/insight/attribution?model=opportunity-creation");
        Assert.Equal(1000, V(oc, "pipeline", "Outbound", "USD"));
        // Sourced: Email (Ann's source). Influenced within 30 days before 20 Feb: Webinar (25 Jan), Content, Outbound; not Email (4–5 Jan).
        var win = await GetAsync(app, "/api/insight/attribution?window=30");
        Assert.Equal(1000, V(win, "sourcedPipeline", "Email", "USD"));
        Assert.Equal(1000, V(win, "influencedPipeline", "Webinar", "USD"));
        Assert.Equal(0, V(win, "influencedPipeline", "Email", "USD"));

        var models = await GetAsync(app, "/api/insight/attribution-models");
        foreach (var m in Attribution.Models)
            Assert.Equal(1000, models.Rows.Where(r => r.Keys[1] == "USD").Sum(r => r.Values[models.IndexOf("pipeline:" + m)]!.Value), 6);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Flow_counts_entries_per_month_and_reports_refresh_after_new_data(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        var t = await GetAsync(app, "/api/insight/flow?interval=month&from=2026-01-01&to=2026-07-01");
        Assert.Equal(3, V(t, "enteredInquiry", "2026-01", "All"));
        Assert.Equal(1, V(t, "enteredMQL", "2026-01", "All"));
        Assert.Equal(1, V(t, "enteredMQL", "2026-04", "All"));
        var res = await app.Client.PostAsJsonAsync("/api/people", new { email = "new@acme.test", sourceChannel = "Email" }, Ct);
        res.EnsureSuccessStatusCode();
        var after = await GetAsync(app, "/api/insight/flow?interval=month&from=2026-01-01&to=2026-07-01");
        Assert.Equal(1, V(after, "enteredInquiry", "2026-06", "All"));
    }
}
