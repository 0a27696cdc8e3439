using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Features.Insight;
using Tandem.Features.People;
using Tandem.Features.Touches;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Insight;

/// <summary>The in-memory history follows the change feed: incremental updates give exactly what a cold rebuild gives (decision 0042).</summary>
public class InsightFollowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Queries = ["", "?by=channel", "?by=persona&stage=MQL", "?by=campaign", "?interval=month&by=channel", "?basis=closed&by=owner"];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Updates_from_the_feed_equal_a_cold_rebuild(string provider)
    {
        // Compact at every update too, so the copy of live ranges is checked as well (results never depend on it).
        InsightUpdate.Compaction = 0;
        try { await UpdatesEqualColdAsync(provider); }
        finally { InsightUpdate.Compaction = 1_000_000; }
    }

    private static async Task UpdatesEqualColdAsync(string provider)
    {
        var (testDb, _) = await DemoFixture.LoadAsync(provider, 300);
        await using var __ = testDb;
        var clock = new FakeTimeProvider(DemoFixture.Now);
        await using var app = await TestApp.StartOnAsync(testDb, clock);
        var store = app.App.Services.GetRequiredService<InsightStore>();
        await app.GetAsync<InsightTable>("/api/insight/funnel"); // the one full build

        // Changes of every kind, each followed by a report so the history follows them one by one.
        var touches = Enumerable.Range(0, 40).Select(i => new
        {
            eventId = $"live-{i}", email = i % 2 == 0 ? $"new{i}@fresh-co.com" : $"person{i}@example.com",
            type = i % 5 == 0 ? "DemoRequest" : "WebVisit", channel = "PaidSearch", occurredAt = DemoFixture.Now.AddHours(-i).ToString("O"),
        }).ToArray();
        var existing = (await app.GetAsync<Tandem.Api.Page<PersonDto>>("/api/people?pageSize=5")).Items;
        var batch = touches.Concat(existing.Select((p, i) => new
        {
            eventId = $"old-{i}", email = p.Email!, type = "PricingPageVisit", channel = "Email", occurredAt = DemoFixture.Now.AddMinutes(-i).ToString("O"),
        })).ToArray();
        await app.PostAsync<BatchResult>("/api/touches:batch", new { touches = batch });
        await app.GetAsync<InsightTable>("/api/insight/funnel");
        var someone = existing[0];
        (await app.Client.PutAsJsonAsync($"/api/people/{someone.Id}", new { email = someone.Email, title = "Chief Revenue Officer", version = someone.Version }, Ct)).EnsureSuccessStatusCode();
        await app.GetAsync<InsightTable>("/api/insight/funnel");
        await app.PostAsync<Tandem.Features.Opportunities.OpportunityDto>("/api/opportunities", new
        {
            name = "Live deal", salesStage = "Won", primaryPersonId = existing[1].Id, amountMinor = 900_000, outcome = "Won",
            createdAt = DemoFixture.Now.AddDays(-10), closedAt = DemoFixture.Now.AddDays(-1),
        });
        await app.PostAsync<JsonElement>("/api/campaigns", new { name = "Live webinar", channel = "Webinar", costMinor = 100_000, currency = "USD" });

        foreach (var report in Reports.All)
            foreach (var q in Queries.Where(q => Reports.Validate(report, Query(q)).Any == false))
            {
                var live = await app.GetAsync<InsightTable>($"/api/insight/{report.Name}{q}");
                await using var db = testDb.Open(clock);
                var cold = await Reports.RunAsync(report, await InsightLoader.LoadAsync(db, store.Personas, Ct), db, Query(q), Ct);
                Assert.Equal(Canonical(cold), Canonical(live));
                Assert.Equal(clock.GetUtcNow().UtcDateTime, live.AsOf);
            }
        Assert.Equal(1, store.Rebuilds);
        Assert.True(store.Updates >= 3, $"{store.Updates} updates");
    }

    /// <summary>Decision 0048: the Revenue page's read does not wait for the feed; it answers with the snapshot it has and the
    /// follower catches up behind it, while a report's read counts what was committed before it.</summary>
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Latest_answers_from_the_last_snapshot_and_catches_up_behind(string provider)
    {
        var (testDb, _) = await DemoFixture.LoadAsync(provider, 200);
        await using var __ = testDb;
        var clock = new FakeTimeProvider(DemoFixture.Now);
        await using var app = await TestApp.StartOnAsync(testDb, clock);
        var store = app.App.Services.GetRequiredService<InsightStore>();
        await using var db = testDb.Open(clock);
        var before = await store.GetAsync(db, Ct);

        await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = new[] { new { eventId = "latest-1", email = "latest@fresh-co.com", type = "WebVisit", channel = "Email", occurredAt = DemoFixture.Now.AddMinutes(-5).ToString("O") } },
        });
        var latest = await store.LatestAsync(db, Ct);
        if (ReferenceEquals(latest, before)) // answered at once with what it had; the follow it started lands behind it
        {
            await store.Follow();
            Assert.Equal(before.PeopleCount + 1, (await store.LatestAsync(db, Ct)).PeopleCount);
        }
        else Assert.Equal(before.PeopleCount + 1, latest.PeopleCount); // the background follower got there first
        Assert.Equal(before.PeopleCount + 1, (await store.GetAsync(db, Ct)).PeopleCount);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_what_if_after_new_data_equals_a_cold_what_if(string provider)
    {
        var (testDb, _) = await DemoFixture.LoadAsync(provider, 400);
        await using var __ = testDb;
        var clock = new FakeTimeProvider(DemoFixture.Now);
        await using var app = await TestApp.StartOnAsync(testDb, clock);
        var draft = await Tandem.Tests.Agreement.AgreementHarness.DraftAsync(app.Client, Tandem.Features.Agreement.StarterDefinition.Content with
            { Qualify = Tandem.Features.Agreement.StarterDefinition.Content.Qualify with { Threshold = 35 } });
        await app.GetAsync<JsonElement>($"/api/definitions/{draft.Number}/whatif?months=12"); // warm: history, judgements, active replay

        var existing = (await app.GetAsync<Tandem.Api.Page<PersonDto>>("/api/people?pageSize=30")).Items;
        await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = existing.Select((p, i) => new { eventId = $"wi-{i}", email = p.Email!, type = "DemoRequest", channel = "Email", occurredAt = DemoFixture.Now.AddDays(-i).ToString("O") })
                .Append(new { eventId = "wi-new", email = "fresh@newco.io", type = "ContactRequest", channel = "Email", occurredAt = DemoFixture.Now.AddHours(-1).ToString("O") }),
        });
        var live = await app.GetAsync<JsonElement>($"/api/definitions/{draft.Number}/whatif?months=12");

        await using var db = testDb.Open(clock);
        var cold = await new Tandem.Features.Agreement.WhatIfService().RunAsync(db, draft.Number, 12, Ct);
        Assert.Equal(JsonSerializer.Serialize(cold, TestApp.Json), live.GetRawText());
    }

    private static InsightQuery Query(string q)
    {
        var args = q.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return new InsightQuery
        {
            By = args.GetValueOrDefault("by"), Interval = args.GetValueOrDefault("interval"), Basis = args.GetValueOrDefault("basis"),
            Stage = args.TryGetValue("stage", out var s) ? Enum.Parse<Tandem.Data.LifecycleStage>(s) : null,
        };
    }

    /// <summary>The table's numbers and links by row keys, in key order: positions of people differ (the live copy appends), the figures may not.</summary>
    private static string Canonical(InsightTable t) => JsonSerializer.Serialize(new
    {
        t.Columns, t.KeyColumns, t.Notes, Rows = t.Rows.OrderBy(r => string.Join('\u0001', r.Keys), StringComparer.Ordinal).ToList(),
    }, TestApp.Json);
}
