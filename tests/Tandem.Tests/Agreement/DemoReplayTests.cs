using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Agreement;

/// <summary>The demo's MQLs come from the real engine, so replaying its v1 reproduces them exactly: same people, same instants.</summary>
public class DemoReplayTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Replaying_v1_over_the_demo_reproduces_every_MQL_at_the_same_instant(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (testDb, _) = await DemoFixture.LoadAsync(provider, 6_000);
        await using var _1 = testDb;
        await using var db = testDb.Open();

        var v1 = await db.LeadDefinitions.SingleAsync(ct);
        Assert.Equal(DefinitionStatus.Active, v1.Status);
        var actual = await db.StageChanges.AsNoTracking().Where(s => s.To == LifecycleStage.MQL)
            .Select(s => new { s.PersonId, s.At, s.Cause }).ToListAsync(ct);
        Assert.All(actual, s => Assert.Equal("definition:v1", s.Cause));
        Assert.InRange(actual.Count, 600, 2_000);

        var timeline = await Timeline.LoadAsync(db, ct);
        var replayed = await WhatIfService.ReplayAllAsync(db, timeline, v1.Parsed(), db.UtcNow, ct);
        var fromReplay = replayed.SelectMany((times, i) => (times ?? []).Select(at => (timeline.PersonIds[i], at))).Order().ToList();
        Assert.Equal(actual.Select(s => (s.PersonId, s.At)).Order().ToList(), fromReplay);
    }
}
