using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>What each entity's import does beyond copying fields.</summary>
public class EntityImportTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task People_get_normalized_email_account_by_domain_and_an_import_stage_change(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await h.ImportAsync(ImportEntity.Accounts, h.Write("a.csv", "name,domain\nAcme,https://www.acme.com/\n"));
        var r = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "Email,First Name,stage,segment\n Ann@ACME.com ,Ann,mql,enterprise\nbob@other.org,Bob,,\n"));
        Assert.True(r.Committed, string.Join('\n', r.Errors));

        await using var db = h.Open();
        var ann = await db.People.SingleAsync(p => p.Email == "ann@acme.com", TestContext.Current.CancellationToken);
        Assert.Equal(("Ann", LifecycleStage.MQL), (ann.FirstName, ann.Stage));
        Assert.Equal(await db.Accounts.Select(a => (int?)a.Id).SingleAsync(TestContext.Current.CancellationToken), ann.AccountId);
        var change = await db.StageChanges.SingleAsync(s => s.PersonId == ann.Id, TestContext.Current.CancellationToken);
        Assert.Equal((LifecycleStage.MQL, "import", "import"), (change.To, change.Cause, change.Actor));
        Assert.Equal("enterprise", await db.CustomProperties.Where(p => p.SubjectId == ann.Id && p.Name == "segment").Select(p => p.Value).SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(LifecycleStage.Inquiry, await db.People.Where(p => p.Email == "bob@other.org").Select(p => p.Stage).SingleAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_repeated_external_id_in_one_file_is_an_error_naming_the_first_line_and_nothing_merges(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var r = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "id,email\nL1,ann@acme.com\nL2,bob@acme.com\nL1,carl@acme.com\n"),
            """{ "columns": { "id": "externalId" } }""");

        Assert.False(r.Committed);
        var e = Assert.Single(r.Errors);
        Assert.Equal("p.csv:4:1 (id): externalId 'L1' is also on line 2, with other values; a record may appear more than once in a file only with the same values", e.ToString());
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_value_longer_than_its_field_is_an_error_at_its_line_and_skip_invalid_keeps_the_rest(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var csv = $"email,firstName\nann@acme.com,Ann\nbob@acme.com,{new string('b', 201)}\ncarl@acme.com,Carl\n";

        var strict = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", csv));
        Assert.False(strict.Committed);
        Assert.Equal("p.csv:3:2 (firstName): 'firstName' is at most 200 characters; this one has 201", Assert.Single(strict.Errors).ToString());

        var lenient = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", csv), skipInvalid: true);
        Assert.True(lenient.Committed);
        Assert.Equal(["ann@acme.com", "carl@acme.com"],
            await h.QueryAsync(db => db.People.OrderBy(p => p.Email).Select(p => p.Email).ToListAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_changed_stage_on_reimport_obeys_the_stage_rules(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "email,stage\nann@acme.com,Inquiry\n"));
        var r = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "email,stage\nann@acme.com,Customer\n"));

        Assert.Contains("Customer needs a won opportunity", Assert.Single(r.Errors).ToString());
        Assert.True((await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "email,stage\nann@acme.com,MQL\n"))).Committed);
        Assert.Equal(2, await h.QueryAsync(db => db.StageChanges.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Touches_go_through_the_ingestor_and_reimport_adds_nothing(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await h.ImportAsync(ImportEntity.Campaigns, h.Write("c.csv", "name,channel,cost\nSpring webinar,Webinar,1200.50\n"));
        var csv = "event_id,email,type,campaign,channel,occurred_at,page\ne1,ann@acme.com,WebinarRegistered,Spring webinar,,2026-02-01T10:00:00Z,/webinar\ne2,ann@acme.com,Web Visit,,organic,2026-02-02,\n";
        var map = """{ "columns": { "page": "properties.page" } }""";
        var first = await h.ImportAsync(ImportEntity.Touches, h.Write("t.csv", csv), map);
        Assert.True(first.Committed, string.Join('\n', first.Errors));
        Assert.Equal(2, first.Created);

        var again = await h.ImportAsync(ImportEntity.Touches, h.Write("t.csv", csv), map);
        Assert.Equal((0, 2), (again.Created, again.Unchanged));
        await using var db = h.Open();
        Assert.Equal(2, await db.Touches.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.People.CountAsync(TestContext.Current.CancellationToken));
        var t = await db.Touches.SingleAsync(x => x.EventId == "e1", TestContext.Current.CancellationToken);
        Assert.Equal(Channel.Webinar, t.Channel);
        Assert.Equal("/webinar", JsonDocument.Parse(t.Properties!).RootElement.GetProperty("page").GetString());
        Assert.Equal(120050, await db.Campaigns.Select(c => c.CostMinor).SingleAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Users_import_creates_teams_and_resolves_managers_in_two_passes(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("sales_teams.csv", "sales_agent,manager,regional_office\nAnna Snelling,Dustin Brinkmann,Central\nCecily Lampkin,Dustin Brinkmann,Central\nViolet Mclelland,Cara Losch,East\n");
        var managers = """{ "externalId": "manager", "columns": { "manager": "name", "regional_office": "team" }, "defaults": { "role": "SalesManager", "emailDomain": "maven.invalid" }, "unmapped": "ignore" }""";
        var agents = """{ "externalId": "sales_agent", "columns": { "sales_agent": "name", "regional_office": "team" }, "defaults": { "emailDomain": "maven.invalid" } }""";

        // Agents first fails: their managers are not known yet.
        var early = await h.ImportAsync(ImportEntity.Users, path, agents);
        Assert.Contains("unknown user 'Dustin Brinkmann'", early.Errors[0].ToString());
        Assert.True((await h.ImportAsync(ImportEntity.Users, path, managers)).Committed);
        var r = await h.ImportAsync(ImportEntity.Users, path, agents);
        Assert.True(r.Committed, string.Join('\n', r.Errors));

        await using var db = h.Open();
        Assert.Equal(["Central", "East"], await db.Teams.OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(TestContext.Current.CancellationToken));
        var dustin = await db.Users.SingleAsync(u => u.Name == "Dustin Brinkmann", TestContext.Current.CancellationToken);
        Assert.Equal((Role.SalesManager, "dustin.brinkmann@maven.invalid"), (dustin.Role, dustin.Email));
        var anna = await db.Users.SingleAsync(u => u.Name == "Anna Snelling", TestContext.Current.CancellationToken);
        Assert.Equal((dustin.Id, Role.SalesRep, dustin.TeamId), (anna.ManagerId, anna.Role, anna.TeamId));
        Assert.Equal(5, await db.Users.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_manager_earlier_in_the_same_file_is_found(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var r = await h.ImportAsync(ImportEntity.Users, h.Write("u.csv", "name,email,manager,role\nMia Boss,mia@x.com,,SalesManager\nTom Rep,tom@x.com,mia@x.com,SalesRep\n"));
        Assert.True(r.Committed, string.Join('\n', r.Errors));
        var ids = await h.QueryAsync(db => db.Users.OrderBy(u => u.Name).Select(u => new { u.Id, u.ManagerId }).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ids[0].Id, ids[1].ManagerId);
    }
}
