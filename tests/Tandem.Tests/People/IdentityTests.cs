using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Import;
using Tandem.Features.People;
using Tandem.Features.Touches;
using Tandem.Tests.Import;

namespace Tandem.Tests.People;

/// <summary>A person is known by an external id, an email, or both (decision 0095): exports keyed by an id load as they are.</summary>
public class IdentityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_api_creates_people_known_only_by_id_and_refuses_a_person_with_neither_key(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var first = await app.PostAsync<PersonDto>("/api/people", new { externalId = "L-1", title = "CFO" });
        var second = await app.PostAsync<PersonDto>("/api/people", new { externalId = "L-2" });
        Assert.Equal((null, "L-1"), (first.Email, first.ExternalId));
        Assert.NotEqual(first.Id, second.Id);

        var neither = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/people", new { firstName = "Ann" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("'email' or 'externalId' is required", Assert.Single(neither.Errors["email"]));
        var taken = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/people", new { externalId = "L-1" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("L-1", Assert.Single(taken.Errors["externalId"]));

        // A later update may add the email; the person keeps their id.
        var put = await app.Client.PutAsJsonAsync($"/api/people/{first.Id}", new { externalId = "L-1", email = "Ann@Acme.com", version = first.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await app.GetAsync<PersonDto>($"/api/people/{first.Id}");
        Assert.Equal(("ann@acme.com", "L-1"), (updated.Email, updated.ExternalId));
        Assert.Equal(2, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
        Assert.Equal(second.Id, Assert.Single((await app.GetAsync<Page<PersonDto>>("/api/people?q=l-2")).Items).Id);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Touches_name_their_person_by_external_id_and_never_rewrite_that_persons_email(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        object Touch(string id, string? email, string? personExternalId) =>
            new { eventId = id, email, personExternalId, type = "WebVisit", channel = "Organic", occurredAt = "2026-02-01T10:00:00Z" };

        var created = await app.PostAsync<BatchResult>("/api/touches:batch", new { touches = new[] { Touch("e1", null, "V-9"), Touch("e2", null, "V-9") } });
        Assert.Equal((2, 1), (created.Created, created.PeopleCreated));
        var person = Assert.Single((await app.GetAsync<Page<PersonDto>>("/api/people")).Items);
        Assert.Equal(("V-9", null), (person.ExternalId, person.Email));

        // The id wins over the email: the touch joins the id's person, whose email stays as it was.
        var linked = await app.PostAsync<BatchResult>("/api/touches:batch", new { touches = new[] { Touch("e3", "new@acme.com", "V-9") } });
        Assert.Equal((1, 0), (linked.Created, linked.PeopleCreated));
        Assert.Null((await app.GetAsync<PersonDto>($"/api/people/{person.Id}")).Email);
        Assert.Equal(3, (await app.GetAsync<Page<TouchDto>>($"/api/touches?personId={person.Id}")).Total);

        var neither = await app.PostAsync<BatchResult>("/api/touches:batch", new { touches = new[] { Touch("e4", null, null) } });
        var error = Assert.Single(neither.Errors);
        Assert.Equal("email", error.Field);
        Assert.Contains("'personExternalId'", error.Message);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_id_keyed_export_of_people_and_deals_loads_with_no_edits_and_a_later_file_adds_emails(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var people = await h.ImportAsync(ImportEntity.People, h.Write("leads.csv", "lead_id,source,title\n101,Organic,CFO\n102,Referral,\n103,Organic,CEO\n"),
            """{ "columns": { "lead_id": "externalId", "source": "sourceChannel" } }""");
        Assert.True(people.Committed, string.Join('\n', people.Errors));
        var deals = await h.ImportAsync(ImportEntity.Opportunities, h.Write("deals.csv", "deal_id,lead_id,stage,status,closed\nD1,101,Won,won,2026-02-20\nD2,103,Proposal,,\n"),
            """{ "columns": { "deal_id": "externalId", "lead_id": "primaryPerson", "stage": "salesStage", "status": "outcome", "closed": "closedAt" } }""");
        Assert.True(deals.Committed, string.Join('\n', deals.Errors));

        var stages = await h.QueryAsync(db => db.People.OrderBy(p => p.ExternalId).Select(p => new { p.ExternalId, p.Email, p.Stage, p.SourceChannel }).ToListAsync(Ct));
        Assert.Equal([("101", LifecycleStage.Customer), ("102", LifecycleStage.Inquiry), ("103", LifecycleStage.SQL)], stages.Select(s => (s.ExternalId!, s.Stage)));
        Assert.All(stages, s => Assert.Null(s.Email));

        // Merge rule: the id finds the person, the email is added; a row without an email keeps the one on record.
        var later = await h.ImportAsync(ImportEntity.People, h.Write("emails.csv", "lead_id,email\n101,Ann@Acme.com\n102,\n"),
            """{ "columns": { "lead_id": "externalId" } }""");
        Assert.True(later.Committed, string.Join('\n', later.Errors));
        Assert.Equal((0, 3), (later.Created, await h.QueryAsync(db => db.People.CountAsync(Ct))));
        Assert.Equal("ann@acme.com", await h.QueryAsync(db => db.People.Where(p => p.ExternalId == "101").Select(p => p.Email).SingleAsync(Ct)));

        // An email already held by another person is an error at its cell, naming who holds it.
        var clash = await h.ImportAsync(ImportEntity.People, h.Write("clash.csv", "lead_id,email\n102,ann@acme.com\n"),
            """{ "columns": { "lead_id": "externalId" } }""");
        Assert.Equal("clash.csv:2:2 (email): 'ann@acme.com' already belongs to another person (externalId '101')", Assert.Single(clash.Errors).ToString());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_file_without_either_key_is_refused_and_a_row_without_either_is_an_error_at_its_line(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var noColumn = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "first,title\nAnn,CFO\n"));
        Assert.False(noColumn.Committed);
        Assert.Contains("missing a column for 'externalId' or 'email'", Assert.Single(noColumn.Errors).ToString());

        var emptyRow = await h.ImportAsync(ImportEntity.People, h.Write("p.csv", "externalId,email,firstName\nL1,,Ann\n,,Bob\n"));
        Assert.False(emptyRow.Committed);
        Assert.Equal("p.csv:3:2 (email): this row has neither an email nor an externalId: a person needs one of them", Assert.Single(emptyRow.Errors).ToString());
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(Ct)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Pages_call_a_person_without_name_or_email_by_their_id_with_their_account(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var acme = await app.PostAsync<Tandem.Features.Accounts.AccountDto>("/api/accounts", new { name = "Acme Corp" });
        var p = await app.PostAsync<PersonDto>("/api/people", new { externalId = "00Q5e000001", accountId = acme.Id });
        var (_, browser) = await app.SignInAsNewAsync(Role.Admin);
        using var _b = browser;

        var list = WebUtility.HtmlDecode(await browser.Client.GetStringAsync("/people", Ct));
        Assert.Contains($"<a class=\"row-link\" href=\"/people/{p.Id}\">id 00Q5e000001</a>", list);
        Assert.Contains("Acme Corp", list);
        var page = WebUtility.HtmlDecode(await browser.Client.GetStringAsync($"/people/{p.Id}", Ct));
        Assert.Contains("id 00Q5e000001", page);
        Assert.Contains("none on record: known by external id", page);
    }

    [Fact]
    public void A_name_falls_back_to_email_then_external_id_then_the_record_number()
    {
        Assert.Equal("Ann Lee", Names.Person(" Ann ", "Lee", "ann@acme.com", "L1", 7));
        Assert.Equal("ann@acme.com", Names.Person(null, " ", "ann@acme.com", "L1", 7));
        Assert.Equal("id L1", Names.Person(null, null, null, "L1", 7));
        Assert.Equal("Person 7", Names.Person(null, null, null, null, 7));
    }
}
