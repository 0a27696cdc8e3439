using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Handoff;

/// <summary>The demo's handoffs look like a real sales floor's and obey the same rules as live ones.</summary>
public class DemoHandoffTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_demo_mql_has_a_routed_owner_and_deadlines_and_some_are_breached_rejected_and_recycled(string provider)
    {
        var (store, _) = await DemoFixture.LoadAsync(provider, 3000);
        await using var _ = store;
        await using var db = store.Open();
        var handoffs = await db.Handoffs.AsNoTracking().ToListAsync(Ct);
        var mqls = await db.StageChanges.CountAsync(c => c.To == LifecycleStage.MQL, Ct);

        Assert.Equal(mqls, handoffs.Count);
        Assert.All(handoffs, h => Assert.NotNull(h.AssigneeId));
        Assert.All(handoffs, h => Assert.True(h.FirstTouchDue > h.AssignedAt && h.DecideDue > h.AssignedAt));
        Assert.Contains(handoffs, h => h.Rule == Router.AccountOwner);
        Assert.Contains(handoffs, h => h.Rule == Router.RoundRobin);
        Assert.Contains(handoffs, h => h.BreachedMask != 0);
        Assert.Contains(handoffs, h => h.State == HandoffState.Rejected && h.RejectReason == RoutingConfiguration.NoBudgetOrTiming);
        Assert.True(handoffs.Where(h => h.State == HandoffState.Rejected).Select(h => h.RejectReason).Distinct().Count() >= 3);
        Assert.Contains(handoffs, h => h.State == HandoffState.Converted && h.OpportunityId is not null);
        Assert.Contains(handoffs, h => h.State == HandoffState.Open && h.NextDeadline is not null);

        // The breaches match what the SLA clock finds, each recorded once; a sweep now finds nothing new.
        var breaches = await db.SlaBreaches.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(handoffs.Sum(h => System.Numerics.BitOperations.PopCount((uint)h.BreachedMask)), breaches.Count);
        db.ChangeTracker.Clear();
        Assert.Equal(0, await SlaSweeper.RecordBreachesAsync(store.Open(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DemoFixture.Now)), 500, Ct));
    }
}
