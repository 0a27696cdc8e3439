using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Import;
using Tandem.Features.Lifecycle;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Users;

namespace Tandem.Tests.Lifecycle;

/// <summary>Lifecycle owns every stage move: drift, forged causes, MQL routing however reached, and deals driving the stage.</summary>
public class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Marketing_cannot_move_a_handed_over_MQL_and_nothing_changes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com", firstName = "Ann" });
        await app.PostAsync<StageChangeDto>($"/api/people/{p.Id}/stage", new { to = "MQL" });
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);

        var res = await marketing.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "SAL" }, Ct);

        var problem = await Problem.ReadAsync(res, HttpStatusCode.Conflict);
        Assert.Contains("Ann is handed over to sales", problem.Detail);
        Assert.Contains("/accept", problem.Detail);
        Assert.Equal(LifecycleStage.MQL, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);
        Assert.Equal(2, (await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages")).Count);
        var lead = Assert.Single(await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}"));
        Assert.Equal(HandoffState.Open, lead.State);
        // The way that works: sales accepts the lead, and stage and handoff move together.
        (await app.Client.PostAsJsonAsync($"/api/handoffs/{lead.Id}/accept", new { }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(LifecycleStage.SAL, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_automatic_MQL_is_stored_like_any_edit_with_its_version_log_and_feed_entry(string provider)
    {
        var w = await Handoff.HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("acme.com", ownerId: w.Reps[0]);

        var lead = await w.MqlAsync("cfo@acme.com"); // through ingestion, where the move is written in plain SQL

        await using var db = app.Db.Open(app.Clock);
        var p = await db.People.AsNoTracking().SingleAsync(x => x.Id == lead.PersonId, Ct);
        Assert.Equal((LifecycleStage.MQL, w.Reps[0], 2), (p.Stage, p.OwnerId, p.Version));
        var h = await db.Handoffs.AsNoTracking().SingleAsync(x => x.Id == lead.Id, Ct);
        Assert.Equal((HandoffState.Open, 1, p.Id), (h.State, h.Version, h.PersonId));
        var log = await db.Activity.AsNoTracking().Where(a => a.SubjectKind == SubjectKind.Person && a.SubjectId == p.Id)
            .OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(["handoff.assigned", "person.updated"], log.TakeLast(2).Select(a => a.Kind));
        var changes = System.Text.Json.JsonDocument.Parse(log[^1].Detail!).RootElement.GetProperty("changes");
        // The qualifying demo request is the person's first touch: the stage's start time does not change, so it is not listed.
        Assert.Equal(["ownerId", "stage"], changes.EnumerateObject().Select(c => c.Name));
        Assert.Equal(w.Reps[0], changes.GetProperty("ownerId")[1].GetInt32());
        Assert.Equal((int)LifecycleStage.MQL, changes.GetProperty("stage")[1].GetInt32());
        var entry = await db.ChangeFeed.AsNoTracking().OrderByDescending(e => e.Seq).FirstAsync(Ct);
        Assert.Contains(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.People!.Split(','));
        Assert.Contains("handoffs", entry.Tables!.Split(','));

        // A client still holding the version read before the MQL is told someone else changed the person.
        var stale = await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email, title = "CFO", version = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_client_cannot_choose_the_cause_of_a_move(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });

        var res = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "MQL", cause = "definition:v1" }, Ct);

        Assert.Contains("'cause' cannot be sent", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors["cause"].Single());
        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal(["manual"], history.Select(h => h.Cause));
        await using var db = app.Db.Open(app.Clock);
        Assert.False(await db.StageChanges.AnyAsync(c => c.Cause.StartsWith("definition:"), Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_skip_the_rules_forbid_names_the_target(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var res = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "SQL" }, Ct);
        Assert.Contains("opportunity", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors["to"].Single());
        Assert.Empty(await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_hand_made_MQL_is_routed_to_sales_in_the_same_save(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var admin = await app.AddUserAsync("admin@tandem.test", Role.Admin);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });

        var change = await app.PostAsync<StageChangeDto>($"/api/people/{p.Id}/stage", new { to = "MQL", note = "asked for a call at the fair" });

        Assert.Equal("manual", change.Cause);
        var lead = Assert.Single(await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}"));
        // No territory or seat yet: the router falls back to an admin, and says so.
        Assert.Equal((HandoffState.Open, admin, "fallback:admin"), (lead.State, lead.AssigneeId, lead.Rule));
        Assert.Equal(admin, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).OwnerId);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_won_deal_moves_its_contact_to_Customer_at_the_close_date(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var created = app.Clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var closed = app.Clock.GetUtcNow().UtcDateTime.AddDays(-2);

        await app.PostAsync<OpportunityDto>("/api/opportunities", new
        {
            name = "Acme", salesStage = "Closed won", primaryPersonId = p.Id, amountMinor = 500_000, outcome = "Won", createdAt = created, closedAt = closed,
        });

        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal([LifecycleStage.Inquiry, LifecycleStage.SQL, LifecycleStage.Customer], history.Select(h => h.To));
        Assert.Equal(["opportunity", "opportunity:won"], history.Skip(1).Select(h => h.Cause));
        // History only moves forward: the deal's dates are kept unless they precede the person's last move (their creation, now).
        Assert.All(history.Skip(1), h => Assert.Equal(history[0].At, h.At));
        Assert.Equal(LifecycleStage.Customer, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);

        // A lost deal later moves nothing back.
        await app.PostAsync<OpportunityDto>("/api/opportunities", new { name = "Acme 2", salesStage = "Lost", primaryPersonId = p.Id, outcome = "Lost", closedAt = closed });
        Assert.Equal(3, (await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages")).Count);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_deal_closes_the_open_handoff_as_converted(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        await app.PostAsync<StageChangeDto>($"/api/people/{p.Id}/stage", new { to = "MQL" });
        app.Clock.Advance(TimeSpan.FromHours(1));

        var opp = await app.PostAsync<OpportunityDto>("/api/opportunities", new { name = "Acme", salesStage = "Discovery", primaryPersonId = p.Id });

        var lead = Assert.Single(await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}"));
        Assert.Equal((HandoffState.Converted, opp.Id), (lead.State, lead.OpportunityId));
        Assert.Equal(LifecycleStage.SQL, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Imported_MQLs_are_routed_unless_the_import_loads_history(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.AddUserAsync("rep@tandem.test", Role.SalesRep);
        var dir = Directory.CreateTempSubdirectory("tandem-lifecycle-");
        try
        {
            var live = Path.Combine(dir.FullName, "live.csv");
            await File.WriteAllTextAsync(live, "email,stage\nann@acme.com,MQL\nbob@acme.com,Inquiry\n", Ct);
            var history = Path.Combine(dir.FullName, "history.csv");
            await File.WriteAllTextAsync(history, "email,stage\ncid@acme.com,MQL\n", Ct);
            await using (var db = app.Db.Open(app.Clock))
            {
                Assert.True((await Importer.RunAsync(db, new ImportRequest(ImportEntity.People, live, new ImportMap()), ct: Ct)).Committed);
                Assert.True((await Importer.RunAsync(db, new ImportRequest(ImportEntity.People, history, new ImportMap(), Route: false), ct: Ct)).Committed);
            }
            await using var check = app.Db.Open(app.Clock);
            var routed = await check.Handoffs.Join(check.People, h => h.PersonId, p => p.Id, (h, p) => p.Email).ToListAsync(Ct);
            Assert.Equal(["ann@acme.com"], routed);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_migration_makes_people_with_won_deals_Customers_with_the_true_time(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var closed = app.Clock.GetUtcNow().UtcDateTime.AddDays(10);
        await using (var db = app.Db.Open(app.Clock))
        {
            // A database from before Lifecycle: a won deal that left its contact at Inquiry (written as the old code did).
            db.Opportunities.Add(new Opportunity { Name = "Old", SalesStage = "Won", PrimaryPersonId = p.Id, Outcome = Outcome.Won, ClosedAt = closed });
            await db.SaveChangesAsync(Ct);
            await db.Database.ExecuteSqlRawAsync(WonToCustomer.Sql, Ct);
            await db.Database.ExecuteSqlRawAsync(WonToCustomer.Sql, Ct); // running it again changes nothing
        }
        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal([LifecycleStage.Inquiry, LifecycleStage.Customer], history.Select(h => h.To));
        Assert.Equal((closed, "opportunity:won"), (history[1].At, history[1].Cause));
        var person = await app.GetAsync<PersonDto>($"/api/people/{p.Id}");
        Assert.Equal((LifecycleStage.Customer, closed), (person.Stage, person.StageChangedAt));
    }
}
