using System.Net.Http.Json;
using Tandem.Features.Plan;
using Tandem.Tests.Insight;

namespace Tandem.Tests.Plan;

/// <summary>The maven-crm export's engage and close dates allow a backtest: Tandem's forecast must beat weighted pipeline.</summary>
public class MavenForecastTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_backtest_over_2017_beats_the_weighted_pipeline(string provider)
    {
        await using var app = await MavenInsightTests.ImportedAsync(provider);
        await using var db = app.Db.Open(app.Clock);
        var book = await DealBook.LoadAsync(db, Ct);
        var r = Backtest.Run(book, "USD", NodaTime.DateTimeZone.Utc, db.UtcNow);
        Assert.Equal(["2017-Q2", "2017-Q3", "2017-Q4"], r.Quarters);
        Assert.Equal(41, r.Tandem.Points);
        // Recorded in docs/benchmarks.md and docs/guide/plan.md: Tandem 10.9 %, weighted pipeline 48.2 %, run rate 11.4 %.
        Assert.Equal(0.109, r.Tandem.Wape, 3);
        Assert.Equal(0.482, r.Weighted.Wape, 3);
        Assert.True(r.Tandem.Wape < r.Weighted.Wape);
        // The actuals are the datasets README's won revenue by close quarter.
        Assert.Equal([3_086_111_00, 2_982_255_00, 2_802_496_00], r.Points.GroupBy(p => p.Quarter).Select(g => (long)g.First().Actual));
    }
}
