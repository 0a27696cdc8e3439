using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Insight;
using static Tandem.Tests.Insight.InsightReportTests;

namespace Tandem.Tests.Insight;

/// <summary>Reports an analyst can check (decision 0057): the cohort split by its period, and days counted as calendar days.</summary>
public class CohortAndDaysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_funnel_splits_its_cohort_by_month_week_and_quarter(string provider)
    {
        // Inquiry: Ann 5 Jan, Bob 7 Jan, Cat 20 Jan, Dan 2 Feb, Eve 5 Mar (InsightReportTests' scenario).
        await using var app = await ScenarioAsync(provider);
        var month = await GetAsync(app, "/api/insight/funnel?by=cohort-month");
        Assert.Equal(["2026-01", "2026-02", "2026-03"], month.Rows.Select(r => r.Keys[0]));
        Assert.Equal([3.0, 1, 1], month.Rows.Select(r => r.Values[0]!.Value));
        Assert.Equal(1.0 / 3, V(month, "rateCustomer", "2026-01")); // Ann
        Assert.Equal("cohort-month", month.KeyColumns[0].Label);

        var week = await GetAsync(app, "/api/insight/funnel?by=cohort-week");
        Assert.Equal(["2026-W02", "2026-W04", "2026-W06", "2026-W10"], week.Rows.Select(r => r.Keys[0]));
        Assert.Equal(2, V(week, "cohort", "2026-W02"));

        var quarter = await GetAsync(app, "/api/insight/funnel?by=cohort-quarter&stage=MQL");
        Assert.Equal(["2026-Q1", "2026-Q2"], quarter.Rows.Select(r => r.Keys[0])); // Ann's MQL in January, Bob's in April

        // The drill-down re-runs the same split.
        var drill = await app.Client.GetFromJsonAsync<DrillPage>(month.Row("2026-01")!.Drill[0]!, TestApp.Json, Ct);
        Assert.Equal(3, drill!.Items.Count);

        // Deals: by the month they were created (Ann's in February, Eve's in March), or closed.
        var deals = await GetAsync(app, "/api/insight/deals?by=cohort-month&basis=closed");
        Assert.Equal(["2026-04"], deals.Rows.Select(r => r.Keys[0]).Distinct());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_cohort_split_is_refused_by_reports_without_a_cohort(string provider)
    {
        await using var app = await ScenarioAsync(provider);
        var problem = await Problem.ReadAsync(await app.Client.GetAsync("/api/insight/channels?by=cohort-month", Ct), HttpStatusCode.BadRequest);
        Assert.Contains("splits reports that have a cohort: funnel, deals", problem.Errors["by"][0]);
        Assert.Contains("days", (await Problem.ReadAsync(await app.Client.GetAsync("/api/insight/deals?days=weekdays", Ct), HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Calendar_days_count_whole_dates_as_an_analyst_does(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using (var db = app.Db.Open(app.Clock))
        {
            var s = new InsightScenario(db);
            // Created 5 Jan 18:00, won 20 Jan 03:36: 14.4 days elapsed, 15 days between the dates.
            await s.DealAsync(null, 100_00, new DateTime(2026, 1, 5, 18, 0, 0, DateTimeKind.Utc), Outcome.Won, new DateTime(2026, 1, 20, 3, 36, 0, DateTimeKind.Utc));
        }
        Assert.Equal(14.4, V(await GetAsync(app, "/api/insight/deals"), "cycleMedianDays", "All", "USD")!.Value, 3);
        Assert.Equal(14.4, V(await GetAsync(app, "/api/insight/deals?days=elapsed"), "cycleMedianDays", "All", "USD")!.Value, 3);
        Assert.Equal(15, V(await GetAsync(app, "/api/insight/deals?days=calendar"), "cycleMedianDays", "All", "USD"));
    }

    [Fact]
    public void Calendar_days_are_whole_utc_dates_apart()
    {
        var (a, b) = (Clock.Of(new DateTime(2026, 1, 5, 23, 59, 0, DateTimeKind.Utc)), Clock.Of(new DateTime(2026, 1, 6, 0, 1, 0, DateTimeKind.Utc)));
        Assert.Equal(1, Clock.Days(a, b, calendar: true));
        Assert.Equal(2.0 / 1440, Clock.Days(a, b, calendar: false), 6);
        Assert.Equal(0, Clock.Days(a - 60, a, calendar: true));
        Assert.Equal(1, Clock.Days(Clock.Of(new DateTime(1999, 12, 31, 12, 0, 0, DateTimeKind.Utc)), Clock.Of(new DateTime(2000, 1, 1, 1, 0, 0, DateTimeKind.Utc)), true));
    }
}
