using System.Net.Http.Json;
using Tandem.Features.Insight;
using Tandem.Features.Touches;

namespace Tandem.Tests.MultiInstance;

/// <summary>Two hosts on one database: what one host writes shows in the other's reports at once, through the change feed.</summary>
public class ReportsAcrossHostsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_write_on_one_host_is_in_the_other_hosts_next_report(string provider)
    {
        await TwoHostsTests.OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var a = await TestApp.StartOnAsync(store, clock);
            await using var b = await TestApp.StartOnAsync(store, clock);
            double Cohort(InsightTable t) => t.Rows.SingleOrDefault()?.Values[t.IndexOf("cohort")] ?? 0;
            var before = Cohort(await b.GetAsync<InsightTable>("/api/insight/funnel"));

            for (var round = 1; round <= 5; round++)
            {
                var batch = Enumerable.Range(0, 10).Select(i => new
                {
                    eventId = $"r{round}-{i}", email = $"p{round}-{i}@acme.com", type = "WebVisit", channel = "Organic",
                    occurredAt = clock.GetUtcNow().AddDays(-1).ToString("O"),
                });
                (await a.Client.PostAsJsonAsync("/api/touches:batch", new { touches = batch }, Ct)).EnsureSuccessStatusCode();
                // The very next report on the other host counts the batch (it reads the feed's head and applies what moved).
                var t = await b.GetAsync<InsightTable>("/api/insight/funnel");
                Assert.Equal(before + 10 * round, Cohort(t));
                Assert.Equal(clock.GetUtcNow().UtcDateTime, t.AsOf);
            }
        });
    }
}
