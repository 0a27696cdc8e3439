using Tandem.Data;
using Tandem.Features.Funnel;
using Tandem.Features.People;

namespace Tandem.Tests.Funnel;

public class FunnelOverviewTests
{
    private static readonly DateTime Now = new(2026, 5, 15, 12, 0, 0, DateTimeKind.Utc); // Q2 2026

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Counts_distinct_people_entering_each_stage_in_this_and_last_quarter(string provider)
    {
        await using var store = await TestDb.CreateAsync(provider);
        await using (var db = store.Open())
        {
            // Ann: Inquiry last quarter, MQL and SAL this quarter.
            Seed(db, "ann@acme.example", (LifecycleStage.Inquiry, new(2026, 2, 10)), (LifecycleStage.MQL, new(2026, 4, 1)),
                (LifecycleStage.SAL, new(2026, 5, 2)));
            // Bob: Inquiry and MQL this quarter, nurtured, back to MQL: still one person entering MQL.
            Seed(db, "bob@acme.example", (LifecycleStage.Inquiry, new(2026, 4, 3)), (LifecycleStage.MQL, new(2026, 4, 4)),
                (LifecycleStage.Nurture, new(2026, 4, 20)), (LifecycleStage.MQL, new(2026, 5, 1)));
            // Cy: the last instant of Q1 counts for Q1, not Q2; a change in Q4 2025 counts for neither.
            Seed(db, "cy@acme.example", (LifecycleStage.Inquiry, new(2025, 12, 31)), (LifecycleStage.MQL, new(2026, 3, 31, 23, 59, 59)),
                (LifecycleStage.Disqualified, new(2026, 4, 1)));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.Open();
        var o = await FunnelOverview.LoadAsync(read, Now, TestContext.Current.CancellationToken);

        Assert.Equal((new Quarter(2026, 2), new Quarter(2026, 1)), (o.This, o.Last));
        var counts = o.Stages.ToDictionary(s => s.Stage, s => (s.ThisQuarter, s.LastQuarter));
        Assert.Equal((1, 1), counts[LifecycleStage.Inquiry]);
        Assert.Equal((2, 1), counts[LifecycleStage.MQL]);
        Assert.Equal((1, 0), counts[LifecycleStage.SAL]);
        Assert.Equal((0, 0), counts[LifecycleStage.SQL]);
        Assert.Equal((1, 0), counts[LifecycleStage.Nurture]);
        Assert.Equal((1, 0), counts[LifecycleStage.Disqualified]);
        Assert.Equal(Enum.GetValues<LifecycleStage>().Length, o.Stages.Count);
        Assert.Equal(2.0, o.ThisFlows[0].Ratio); // 2 MQL entries / 1 Inquiry entry: flow, not cohort conversion
        Assert.Equal(0.5, o.ThisFlows[1].Ratio);
        Assert.Equal(1.0, o.LastFlows[0].Ratio);
        Assert.Equal(2, o.Max);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Drill_down_lists_exactly_the_people_behind_a_count(string provider)
    {
        await using var store = await TestDb.CreateAsync(provider);
        await using (var db = store.Open())
        {
            Seed(db, "ann@acme.example", (LifecycleStage.Inquiry, new(2026, 4, 2)), (LifecycleStage.MQL, new(2026, 4, 9)));
            Seed(db, "bob@acme.example", (LifecycleStage.Inquiry, new(2026, 1, 2)), (LifecycleStage.MQL, new(2026, 1, 9)));
            Seed(db, "cy@acme.example", (LifecycleStage.Inquiry, new(2026, 4, 5)));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.Open();
        var q2 = Quarter.Containing(Now);
        var entered = FunnelOverview.WhoEntered(read, read.People, LifecycleStage.MQL, q2).Select(p => p.Email).ToList();
        var counts = await FunnelOverview.EntriesAsync(read, q2, TestContext.Current.CancellationToken);

        Assert.Equal(["ann@acme.example"], entered);
        Assert.Equal(counts[LifecycleStage.MQL], entered.Count);
    }

    private static void Seed(TandemDb db, string email, params (LifecycleStage To, DateTime At)[] path)
    {
        var person = new Person { Email = email };
        db.People.Add(person);
        LifecycleStage? from = null;
        foreach (var (to, at) in path)
        {
            var utc = DateTime.SpecifyKind(at, DateTimeKind.Utc);
            db.StageChanges.Add(new StageChange { Person = person, From = from, To = to, At = utc, Cause = "test", Actor = "test" });
            (person.Stage, person.StageChangedAt, from) = (to, utc, to);
        }
    }
}
