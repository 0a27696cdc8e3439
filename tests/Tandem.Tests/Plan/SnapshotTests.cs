using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Opportunities;
using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

/// <summary>Quarter-start snapshots on one database shared by two app hosts, as two `tandem serve` behind a load balancer.</summary>
public class SnapshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset QuarterStart = new(2026, 4, 1, 0, 5, 0, TimeSpan.Zero);
    private static readonly PlanOptions Options = new() { CommittedStages = ["Proposal", "Negotiation"] };

    private static void Committed(WebApplicationBuilder b) => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Plan:CommittedStages:0"] = "Proposal", ["Plan:CommittedStages:1"] = "Negotiation",
    });

    private static Opportunity Deal(string name, int owner, string stage, DateTime expected) => new()
    {
        Name = name, OwnerId = owner, SalesStage = stage, AmountMinor = 10_000_00, Currency = "EUR", CreatedAt = new DateTime(2026, 2, 1), ExpectedCloseAt = expected,
    };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_hosts_taking_the_quarter_start_snapshot_at_once_write_exactly_one_and_it_tracks_each_deal(string provider)
    {
        var clock = new FakeTimeProvider(QuarterStart);
        await using var store = await TestDb.CreateAsync(provider, clock);
        int rep;
        await using (var db = store.Open(clock))
        {
            var user = new Tandem.Features.Users.User { Name = "Rita Moreno", Email = "rita@example.com", Role = Role.SalesRep };
            db.Users.Add(user);
            await db.SaveChangesAsync(Ct);
            rep = user.Id;
        }
        var may = new DateTime(2026, 5, 15, 0, 0, 0, DateTimeKind.Utc);
        int won, pushed, open, lost;
        await using (var db = store.Open(clock))
        {
            db.Opportunities.AddRange(Deal("Won one", rep, "Proposal", may), Deal("Pushed one", rep, "Negotiation", may), Deal("Open one", rep, "Proposal", may),
                Deal("Lost one", rep, "Proposal", may), Deal("Too early a stage", rep, "Discovery", may), Deal("Next quarter", rep, "Proposal", may.AddMonths(3)));
            await db.SaveChangesAsync(Ct);
            var ids = await db.Opportunities.OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(Ct);
            (won, pushed, open, lost) = (ids[0], ids[1], ids[2], ids[3]);
        }

        // Two hosts start: each one's background job tries at once; then each host tries 20 more times, all at once.
        await using var a = await TestApp.StartOnAsync(store, clock, configure: Committed);
        await using var b = await TestApp.StartOnAsync(store, clock, configure: Committed);
        var passes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await using var db = (i % 2 == 0 ? a : b).Db.Open(clock);
            return await Snapshots.EnsureQuarterStartAsync(db, Options, Ct);
        }, Ct)));
        Assert.True(passes.Count(p => p is not null) <= 1);
        await using (var db = store.Open(clock))
        {
            var autos = await db.PipelineSnapshots.AsNoTracking().Where(s => s.Kind == SnapshotKind.Auto).ToListAsync(Ct);
            var snap = Assert.Single(autos);
            Assert.Equal("2026-Q2", snap.Period);
            Assert.Equal(4, await db.SnapshotDeals.CountAsync(d => d.SnapshotId == snap.Id, Ct)); // not the Discovery deal, not next quarter's
        }

        // During the quarter: one won, one lost, one moved to next quarter, a new deal won that nobody committed.
        clock.SetUtcNow(new DateTimeOffset(2026, 5, 20, 9, 0, 0, TimeSpan.Zero));
        await using (var db = store.Open(clock))
        {
            var all = await db.Opportunities.ToListAsync(Ct);
            (all.Single(o => o.Id == won).Outcome, all.Single(o => o.Id == won).ClosedAt) = (Outcome.Won, clock.GetUtcNow().UtcDateTime);
            (all.Single(o => o.Id == lost).Outcome, all.Single(o => o.Id == lost).ClosedAt) = (Outcome.Lost, clock.GetUtcNow().UtcDateTime);
            all.Single(o => o.Id == pushed).ExpectedCloseAt = may.AddMonths(2);
            db.Opportunities.Add(Deal("Surprise", rep, "Closed", may));
            await db.SaveChangesAsync(Ct);
            var surprise = await db.Opportunities.SingleAsync(o => o.Name == "Surprise", Ct);
            (surprise.Outcome, surprise.ClosedAt) = (Outcome.Won, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(Ct);
        }
        var list = await a.GetAsync<List<SnapshotSummary>>("/api/snapshots");
        var report = await b.GetAsync<SnapshotReport>($"/api/snapshots/{list.Single().Id}");
        var rita = Assert.Single(report.Reps);
        Assert.Equal((4, 1, 1, 1, 1, 1), (rita.Committed, rita.Won, rita.Lost, rita.Pushed, rita.Open, rita.WonNotCommitted));
        var flow = Assert.Single(report.Flow);
        Assert.Equal(flow.OpenNow, flow.Start + flow.Added - flow.Won - flow.Lost - flow.Pushed - flow.Removed);
        Assert.Equal((4, 1, 2, 1, 1, 1), (flow.Start, flow.Added, flow.Won, flow.Lost, flow.Pushed, flow.OpenNow));

        // A manager may take manual snapshots at any time; they never count as the quarter-start one.
        var manual = await a.PostAsync<SnapshotReport>("/api/snapshots", new { note = "mid-quarter review" });
        Assert.Equal((SnapshotKind.Manual, 1), (manual.Snapshot.Kind, manual.Snapshot.Deals)); // only "Open one" is still open and due this quarter
        await using (var db = store.Open(clock))
            Assert.Equal(1, await db.PipelineSnapshots.CountAsync(s => s.Kind == SnapshotKind.Auto, Ct));
    }
}
