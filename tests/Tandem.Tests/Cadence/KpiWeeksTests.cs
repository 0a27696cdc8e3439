using Tandem.Features.Cadence;
using Tandem.Features.Insight;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Cadence;

/// <summary>The eight-week trend in one pass per metric gives what eight one-week measurements gave.</summary>
public class KpiWeeksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_pass_over_eight_weeks_equals_each_week_measured_alone_for_every_metric()
    {
        var (store, _) = await DemoFixture.LoadAsync("sqlite", 2_000);
        await using var _s = store;
        await using var db = store.Open();
        var f = await InsightLoader.LoadAsync(db, new Personas(), Ct);
        // Eight weeks ending with the demo's "now", plus an unaligned start: records on a bound fall in the later week.
        var end = Clock.Of(DemoFixture.Now.UtcDateTime);
        var bounds = Enumerable.Range(0, 9).Select(n => end - (8 - n) * 7 * 86_400 - 3_600).ToArray();
        var currency = f.Currencies.TryGet("USD", out var c) ? c : 0;
        var sla = Enumerable.Range(0, 8).Select(w => new Measured(w * 10.0, KpiMetrics.Leads, [w])).ToArray();

        foreach (var m in KpiMetrics.All)
            foreach (var filter in new string?[] { null, "Webinar" })
            {
                var all = KpiMetrics.MeasureWeeks(m, filter, f, bounds, currency, sla);
                Assert.Equal(8, all.Length);
                for (var w = 0; w < 8; w++)
                {
                    var alone = KpiMetrics.Measure(m, filter, f, bounds[w], bounds[w + 1], currency, sla[w]);
                    Assert.Equal((alone.Value, alone.RecordKind), (all[w].Value, all[w].RecordKind));
                    Assert.Equal(alone.Records, all[w].Records);
                }
                if (m.Name != "mqls" || filter is not null) continue;
                // And against the definition itself, written out: people who first reached MQL in the week.
                for (var w = 0; w < 8; w++)
                    Assert.Equal(Enumerable.Range(0, f.PeopleCount).Where(i => f.Reached[1][i] != Clock.None && f.Reached[1][i] >= bounds[w] && f.Reached[1][i] < bounds[w + 1])
                        .Select(i => f.PersonId[i]), all[w].Records);
                Assert.True(all.Sum(x => x.Records.Count) > 0, "the demo has MQLs in these weeks");
            }
    }
}
