using Tandem.Features.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Demo;
using Tandem.Features.People;

namespace Tandem.Tests.Demo;

public class DemoDeterminismTests
{
    private const int Small = 1_500;

    private static async Task<(DemoCounts Counts, List<string> Emails, List<string> History, List<string> Touches)> SnapshotAsync(string provider, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var (testDb, counts) = await DemoFixture.LoadAsync(provider, Small, seed);
        await using var _ = testDb;
        await using var db = testDb.Open();
        var emails = await db.People.OrderBy(p => p.Id).Take(50).Select(p => p.Email!).ToListAsync(ct);
        var history = (await db.StageChanges.Where(s => s.PersonId <= 300).OrderBy(s => s.Id).ToListAsync(ct))
            .Select(s => $"{s.PersonId} {s.From}->{s.To} {s.At:O} {s.Cause} {s.Actor} {s.Reason}").ToList();
        var touches = (await db.Touches.Where(t => t.PersonId <= 50).OrderBy(t => t.EventId).ToListAsync(ct))
            .Select(t => $"{t.EventId} {t.Type} {t.Channel} {t.CampaignId} {t.OccurredAt:O}").ToList();
        return (counts, emails, history, touches);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Same_seed_gives_identical_data_and_another_seed_does_not(string provider)
    {
        var a = await SnapshotAsync(provider, 7);
        var b = await SnapshotAsync(provider, 7);
        Assert.Equal(a.Counts, b.Counts);
        Assert.Equal(a.Emails, b.Emails);
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.Touches, b.Touches);

        var c = await SnapshotAsync(provider, 8);
        Assert.NotEqual(a.Emails, c.Emails);
    }

    [Fact]
    public async Task Every_stage_history_obeys_the_stage_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        var (testDb, _) = await DemoFixture.LoadAsync("sqlite", 3_000);
        await using var _ = testDb;
        await using var db = testDb.Open();
        var opps = await db.Opportunities.AsNoTracking().ToListAsync(ct);
        var people = await db.People.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        foreach (var history in (await db.StageChanges.AsNoTracking().ToListAsync(ct)).GroupBy(s => s.PersonId))
        {
            var p = people[history.Key];
            LifecycleStage? current = null;
            foreach (var s in history.OrderBy(s => s.Id))
            {
                Assert.Equal(current, s.From);
                var mine = opps.Where(o => o.PrimaryPersonId == p.Id && o.CreatedAt <= s.At).ToList();
                var won = opps.Any(o => (o.PrimaryPersonId == p.Id || (p.AccountId != null && o.AccountId == p.AccountId))
                    && o.Outcome == Outcome.Won && o.ClosedAt <= s.At);
                Assert.Null(StageRules.Check(current, s.To, new StageFacts(mine.Count > 0, won, s.Reason)));
                Assert.True(s.At <= DemoFixture.Now.UtcDateTime && s.At >= p.CreatedAt);
                current = s.To;
            }
        }
        // A few people signed up twice under another address.
        Assert.Contains(people.Values.GroupBy(p => (p.FirstName, p.LastName)), g => g.Count() > 1);
        Assert.False(await db.Touches.AnyAsync(t => t.OccurredAt > DemoFixture.Now.UtcDateTime, ct));
    }

    [Fact]
    public async Task Demo_refuses_a_database_that_already_holds_data()
    {
        var (testDb, _) = await DemoFixture.LoadAsync("sqlite", 200);
        await using var _ = testDb;
        await using var db = testDb.Open();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => DemoGenerator.RunAsync(db, new DemoOptions(200), ct: TestContext.Current.CancellationToken));
        Assert.Contains("empty database", e.Message);
    }

    [Fact]
    public async Task Serve_demo_fills_an_empty_database_and_leaves_a_filled_one_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.StartAsync("sqlite");
        await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, ct, new DemoOptions(300));
        await using var db = app.Db.Open();
        Assert.Equal(300, await db.People.CountAsync(ct));
        var again = await Tandem.Cli.DemoOnStart.RunAsync(app.App.Services, ct, new DemoOptions(300));
        Assert.Equal(300, await db.People.CountAsync(ct));
        Assert.Contains("tandem-demo", again); // a restarted demo still prints its sign-ins
        Assert.Equal(1, await db.Activity.CountAsync(a => a.Kind == "demo.generated", ct));
    }
}
