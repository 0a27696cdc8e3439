using Microsoft.EntityFrameworkCore;
using Tandem.Features.Cadence;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Cadence;

public class DemoCadenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_demo_ships_eight_weekly_records_with_notes_reviews_and_actions(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3_000);
        await using var _s = store;
        await using var db = store.Open();

        var records = await db.SyncRecords.AsNoTracking().OrderBy(r => r.Week).ToListAsync(Ct);

        // The demo's "now" is Monday 2026-11-02 (W45): the eight weeks before it.
        Assert.Equal(Enumerable.Range(37, 8).Select(n => $"2026-W{n}"), records.Select(r => r.Week));
        Assert.All(records, r => Assert.Equal((1, SyncBuilder.Hash(r.Document)), (r.Revision, r.Sha256)));
        var docs = records.Select(r => SyncBuilder.Parse(r.Document)).ToList();
        Assert.All(docs, d => Assert.False(d.Empty));
        Assert.All(docs, d => Assert.NotEmpty(d.Heard));
        Assert.All(docs, d => Assert.Single(d.Actions.New));
        Assert.Contains(docs, d => d.Reviews.Count > 0);
        Assert.Contains(docs, d => d.Actions.CarriedOver.Count > 0);
        Assert.Contains(docs, d => d.Actions.Done.Count > 0);
        Assert.All(docs, d => Assert.True(d.Scorecard.Kpis.Single(k => k.Key == "mqls").Value > 0));
    }
}
