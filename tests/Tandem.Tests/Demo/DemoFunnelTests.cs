using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Demo;
using Tandem.Features.People;

namespace Tandem.Tests.Demo;

/// <summary>The default-size demo company, loaded once per provider, checked against published B2B funnel ranges.</summary>
public class DemoFunnelTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Default_demo_company_has_a_believable_funnel_and_consistent_records(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (testDb, counts) = await DemoFixture.LoadAsync(provider, DemoOptions.DefaultPeople);
        await using var _ = testDb;
        await using var db = testDb.Open();

        Assert.Equal(20_000, await db.People.CountAsync(ct));
        Assert.Equal(2_000, await db.Accounts.CountAsync(ct));
        Assert.Equal(counts.Touches, await db.Touches.LongCountAsync(ct));
        Assert.InRange(counts.Touches / 20_000.0, 8, 12);

        var reached = await DemoFixture.ReachedAsync(db);
        Assert.InRange(DemoFixture.Rate(reached, LifecycleStage.Inquiry, LifecycleStage.MQL), 0.10, 0.25);
        Assert.InRange(DemoFixture.Rate(reached, LifecycleStage.MQL, LifecycleStage.SAL), 0.40, 0.60);
        Assert.InRange(DemoFixture.Rate(reached, LifecycleStage.SAL, LifecycleStage.SQL), 0.50, 0.70);
        Assert.InRange(DemoFixture.Rate(reached, LifecycleStage.SQL, LifecycleStage.Customer), 0.20, 0.30);

        // Channels differ: referrals and webinars qualify far more often than paid social.
        var source = await db.People.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.SourceChannel, ct);
        double Mql(Channel c) => DemoFixture.Rate(reached, LifecycleStage.Inquiry, LifecycleStage.MQL, id => source[id] == c);
        Assert.True(Mql(Channel.Referral) > 2 * Mql(Channel.Social), $"referral {Mql(Channel.Referral):P1} vs social {Mql(Channel.Social):P1}");
        Assert.True(Mql(Channel.Webinar) > 1.5 * Mql(Channel.Social), $"webinar {Mql(Channel.Webinar):P1} vs social {Mql(Channel.Social):P1}");

        // The cached stage is the last change; SQL and Customer are backed by opportunities.
        var last = (await db.StageChanges.AsNoTracking().Select(s => new { s.PersonId, s.Id, s.To }).ToListAsync(ct))
            .GroupBy(s => s.PersonId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Id)!.To);
        var stages = await db.People.AsNoTracking().Select(p => new { p.Id, p.Stage }).ToListAsync(ct);
        Assert.All(stages, p => Assert.Equal(last[p.Id], p.Stage));
        var primaries = (await db.Opportunities.AsNoTracking().Select(o => new { o.PrimaryPersonId, o.Outcome }).ToListAsync(ct))
            .ToLookup(o => o.PrimaryPersonId);
        Assert.All(reached.Where(g => g.Contains(LifecycleStage.SQL)), g => Assert.NotEmpty(primaries[g.Key]));
        Assert.All(reached.Where(g => g.Contains(LifecycleStage.Customer)), g => Assert.Contains(primaries[g.Key], o => o.Outcome == Outcome.Won));
        foreach (var outcome in Enum.GetValues<Outcome>())
            Assert.True(await db.Opportunities.AnyAsync(o => o.Outcome == outcome, ct), $"no {outcome} opportunity");
        Assert.False(await db.Opportunities.AnyAsync(o => o.Outcome != Outcome.Open && (o.OutcomeReason == null || o.ClosedAt == null), ct));

        // Side states carry reasons; bad data is there to be found.
        Assert.False(await db.StageChanges.AnyAsync(s => (s.To == LifecycleStage.Nurture || s.To == LifecycleStage.Disqualified) && s.Reason == null, ct));
        var personal = await db.People.CountAsync(p => p.Email!.EndsWith("@gmail.com") || p.Email!.EndsWith("@yahoo.com") || p.Email!.EndsWith("@hotmail.com"), ct);
        Assert.InRange(personal, 500, 3_000);
        Assert.InRange(await db.Accounts.CountAsync(a => a.Status == AccountStatus.OutOfBusiness, ct), 20, 150);
        Assert.All(await db.People.AsNoTracking().Where(p => p.AccountId != null).Take(500).ToListAsync(ct),
            p => Assert.Equal(db.Accounts.Single(a => a.Id == p.AccountId).Domain, EmailAddress.Domain(p.Email!)));

        // Every kind of touch and channel, campaigns with costs, a revenue team, one summary activity row.
        var types = await db.Touches.Select(t => t.Type).Distinct().ToListAsync(ct);
        Assert.Equal(Enum.GetValues<TouchType>().Order(), types.Order());
        var campaignChannels = await db.Campaigns.Where(c => c.CostMinor > 0).Select(c => c.Channel).Distinct().ToListAsync(ct);
        Assert.Equal(Tandem.Features.Channels.ChannelSet.Default.All.Take(11).Select(c => c.Channel.Key).Order(), campaignChannels.Select(c => c.Key).Order());
        Assert.Equal(Enum.GetValues<Role>().Order(), (await db.Users.Select(u => u.Role).Distinct().ToListAsync(ct)).Order());
        Assert.True(await db.Users.CountAsync(u => u.TimeZone == "Europe/London", ct) > 0);
        Assert.Equal(1, await db.Activity.CountAsync(a => a.Kind == "demo.generated", ct));
    }
}
