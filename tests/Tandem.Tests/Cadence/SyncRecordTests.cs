using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Features.Cadence;
using Tandem.Features.Notifications;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.Cadence;

/// <summary>The weekly record through the real app: written once when due, immutable, corrected only by revisions.</summary>
public class SyncRecordTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_week_with_no_data_is_written_as_a_record_that_says_so(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);

        var pass = await app.PassAsync();

        Assert.Equal(CadenceWorld.Week, pass.Written);
        var row = Assert.Single(await app.RecordsAsync());
        Assert.DoesNotContain("NaN", row.Document);
        Assert.DoesNotContain("Infinity", row.Document);
        var doc = SyncBuilder.Parse(row.Document);
        Assert.True(doc.Empty);
        Assert.Contains("Nothing was recorded in 2026-W10", doc.EmptyNote);
        Assert.Equal(8, doc.Scorecard.Kpis.Count);
        Assert.All(doc.Scorecard.Kpis.Where(k => k.Unit == "percent"), k => Assert.Equal("NoData", k.Status));
        Assert.Contains("No data this week", SyncOutline.Of(doc)[0].Title);
    }

    [Fact]
    public async Task The_record_is_not_due_before_the_configured_day_and_time_in_the_company_zone()
    {
        var o = new CadenceOptions { WriteDay = DayOfWeek.Monday, WriteTime = "07:00" };
        var berlin = NodaTime.DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        // Monday 2026-03-09 05:59 UTC is 06:59 in Berlin: W10 is not due yet, W09 is the last one due.
        Assert.Equal("2026-W09", SyncRecords.DueWeek(new DateTime(2026, 3, 9, 5, 59, 0, DateTimeKind.Utc), berlin, o).Key);
        Assert.Equal("2026-W10", SyncRecords.DueWeek(new DateTime(2026, 3, 9, 6, 0, 0, DateTimeKind.Utc), berlin, o).Key);
        Assert.Equal("2026-W10", SyncRecords.DueWeek(new DateTime(2026, 3, 12, 6, 0, 0, DateTimeKind.Utc), berlin, o).Key);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_record_is_written_once_and_generating_a_past_week_again_never_changes_it(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        var lead = await w.MqlAsync("ann@acme.com");
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Question", text = "Does it run on premises?", personId = lead.PersonId });
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);

        Assert.Equal(CadenceWorld.Week, (await app.PassAsync()).Written);
        var first = Assert.Single(await app.RecordsAsync());
        // Something else said in the same week, after the record was written: the record stays as it was.
        await app.PostAsync<FieldNote>("/api/notes", new { kind = "Objection", text = "Too expensive", at = HandoffWorld.Monday9.AddHours(3).UtcDateTime });
        Assert.Null((await app.PassAsync()).Written);
        Assert.Null((await app.PassAsync()).Written);

        var again = Assert.Single(await app.RecordsAsync());
        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Equal(SyncBuilder.Hash(again.Document), again.Sha256);
        var shown = await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}");
        Assert.True(shown.Written);
        Assert.Equal(first.Sha256, shown.Sha256);
        var mqls = shown.Document.Scorecard.Kpis.Single(k => k.Key == "mqls");
        Assert.Equal(1, mqls.Value);
        Assert.Equal([lead.PersonId], mqls.Records);
        var heard = Assert.Single(shown.Document.Heard);
        Assert.Equal("Does it run on premises?", heard.Text);
        Assert.Equal("ann@acme.com", heard.About);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Editing_a_record_is_refused_and_a_correction_is_a_new_revision_with_its_reason(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);
        await app.PassAsync();
        var original = Assert.Single(await app.RecordsAsync());

        var edit = await app.Client.PutAsJsonAsync($"/api/sync/{CadenceWorld.Week}", new { document = "{}" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("new revision", await edit.Content.ReadAsStringAsync(Ct));
        var noReason = await app.Client.PostAsJsonAsync($"/api/sync/{CadenceWorld.Week}/revisions", new { reason = " " }, Ct);
        await Problem.AssertFieldAsync(noReason, "reason");

        await app.PostAsync<FieldNote>("/api/notes", new { kind = "FeatureGap", text = "No Salesforce sync", at = HandoffWorld.Monday9.AddHours(2).UtcDateTime });
        var revised = await app.PostAsync<SyncWeekDto>($"/api/sync/{CadenceWorld.Week}/revisions", new { reason = "A note was logged late" });

        Assert.Equal(2, revised.Revision);
        var rows = await app.RecordsAsync();
        Assert.Equal([1, 2], rows.Select(r => r.Revision));
        Assert.Equal(original.Document, rows[0].Document);
        Assert.Equal(original.Sha256, rows[0].Sha256);
        Assert.Equal("A note was logged late", rows[1].Reason);
        Assert.Single((await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}")).Document.Heard);
        Assert.Empty((await app.GetAsync<SyncRecordDto>($"/api/sync/{CadenceWorld.Week}?revision=1")).Document.Heard);
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/sync/2026-W99", Ct), "week");
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_kpi_whose_metric_no_longer_exists_shows_as_broken_and_the_rest_of_the_record_is_written(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await using (var db = app.Db.Open(app.Clock))
        {
            var content = Scorecards.Serialize([
                new KpiDefinition("old", "Retired figure", "retired-metric", KpiOwner.Shared, KpiKind.Monitored, KpiTiming.Lagging, Target: 5),
                new KpiDefinition("mqls", "MQLs", "mqls", KpiOwner.Marketing, KpiKind.Managed, KpiTiming.Leading, Target: 1),
            ]);
            db.Scorecards.Add(new ScorecardVersion { Number = 1, Status = ScorecardStatus.Active, Content = content, ContentHash = Scorecards.Hash(content), CreatedBy = "test" });
            await db.SaveChangesAsync(Ct);
        }
        await w.AccountAsync("acme.com");
        await w.MqlAsync("ann@acme.com");
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);

        Assert.Equal(CadenceWorld.Week, (await app.PassAsync()).Written);

        var doc = SyncBuilder.Parse(Assert.Single(await app.RecordsAsync()).Document);
        var broken = doc.Scorecard.Kpis.Single(k => k.Key == "old");
        Assert.Equal("Broken", broken.Status);
        Assert.Contains("\"retired-metric\" no longer exists", broken.Broken);
        var mqls = doc.Scorecard.Kpis.Single(k => k.Key == "mqls");
        Assert.Equal(("Green", 1.0), (mqls.Status, mqls.Value));
        Assert.Equal(1, doc.Sla.Leads);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task What_changed_since_last_week_is_the_diff_of_two_records(string provider)
    {
        var w = await CadenceWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com");
        await w.MqlAsync("ann@acme.com");
        app.Clock.SetUtcNow(CadenceWorld.NextMonday8);
        await app.PassAsync();
        app.Clock.Advance(TimeSpan.FromHours(2));
        await w.AccountAsync("beta.com");
        await w.MqlAsync("bob@beta.com");
        await w.AccountAsync("gamma.com");
        await w.MqlAsync("cy@gamma.com");
        app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal("2026-W11", (await app.PassAsync()).Written);

        var diff = await app.GetAsync<List<DiffLine>>("/api/sync/diff/2026-W10/2026-W11");

        var mqls = diff.Single(d => d.Item == "MQLs against plan");
        Assert.Equal(("1", "2", "up 1"), (mqls.Before, mqls.After, mqls.Change));
        await Problem.AssertFieldAsync(await app.Client.GetAsync("/api/sync/diff/W10/nonsense", Ct), "to");
    }
}
