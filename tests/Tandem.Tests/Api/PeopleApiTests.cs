using System.Net;
using System.Net.Http.Json;
using Tandem.Api;
using Tandem.Features.Accounts;
using Tandem.Features.People;

namespace Tandem.Tests.Api;

public class PeopleApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_new_person_enters_at_Inquiry_with_a_normalized_email_and_the_account_of_their_domain(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var acme = await app.PostAsync<AccountDto>("/api/accounts", new { name = "Acme", domain = "https://www.Acme.com/" });
        Assert.Equal("acme.com", acme.Domain);

        var ann = await app.PostAsync<PersonDto>("/api/people", new { email = " Ann@ACME.com", firstName = "Ann", properties = new { segment = "SMB" } });

        Assert.Equal("ann@acme.com", ann.Email);
        Assert.Equal(acme.Id, ann.AccountId);
        Assert.Equal(Tandem.Data.LifecycleStage.Inquiry, ann.Stage);
        var stored = await app.GetAsync<PersonDto>($"/api/people/{ann.Id}");
        Assert.Equal("SMB", stored.Properties["segment"]);
        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{ann.Id}/stages");
        Assert.Equal((null, Tandem.Data.LifecycleStage.Inquiry, "api-key:1"), (history.Single().From, history.Single().To, history.Single().Actor));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Invalid_fields_are_named_in_the_problem(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsJsonAsync("/api/people", new { email = "not-an-email", accountId = 999, ownerId = 42 }, Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Contains("email", problem.Errors.Keys);
        Assert.Contains("Account 999 does not exist.", problem.Errors["accountId"]);
        Assert.Contains("User 42 does not exist.", problem.Errors["ownerId"]);
        Assert.Equal(0, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_second_person_with_the_same_email_is_a_conflict(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var res = await app.Client.PostAsJsonAsync("/api/people", new { email = "ANN@acme.com" }, Ct);
        await Problem.ReadAsync(res, HttpStatusCode.Conflict);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_stale_update_is_refused_not_silently_applied(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com", title = "CTO" });

        var first = await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email, title = "CEO", version = p.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email, title = "Intern", version = p.Version }, Ct);

        var problem = await Problem.ReadAsync(second, HttpStatusCode.Conflict);
        Assert.Contains("version", problem.Detail);
        var stored = await app.GetAsync<PersonDto>($"/api/people/{p.Id}");
        Assert.Equal(("CEO", 2), (stored.Title, stored.Version));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Of_two_simultaneous_updates_from_the_same_version_exactly_one_wins(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email, title = $"T{i}", version = p.Version }, Ct)));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(2, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Version);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_update_without_a_version_names_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var res = await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email }, Ct);
        Assert.Contains("version", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Search_matches_email_name_and_title_and_pages(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        for (var i = 0; i < 7; i++)
            await app.PostAsync<PersonDto>("/api/people", new { email = $"p{i}@acme.com", lastName = i % 2 == 0 ? "Lovelace" : "Hopper", title = "Engineer" });

        var page2 = await app.GetAsync<Page<PersonDto>>("/api/people?q=lovelace&page=2&pageSize=3");
        Assert.Equal((4, 2, 3), (page2.Total, page2.PageNumber, page2.PageSize));
        Assert.Single(page2.Items);
        Assert.Equal(7, (await app.GetAsync<Page<PersonDto>>("/api/people?q=ENGINEER")).Total);
        Assert.Equal(1, (await app.GetAsync<Page<PersonDto>>("/api/people?q=p3@")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Unknown_ids_answer_404_problems(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        foreach (var url in new[] { "/api/people/5", "/api/accounts/5", "/api/opportunities/5", "/api/campaigns/5", "/api/users/5", "/api/touches/5" })
            await Problem.ReadAsync(await app.Client.GetAsync(url, Ct), HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Every_change_is_in_the_activity_log_with_its_actor_and_fields(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com", title = "CTO" });
        await app.Client.PutAsJsonAsync($"/api/people/{p.Id}", new { email = p.Email, title = "CEO", version = p.Version }, Ct);

        var log = await app.GetAsync<Page<Tandem.Features.Activity.ActivityDto>>($"/api/activity?subjectKind=Person&subjectId={p.Id}");
        Assert.Equal(["person.updated", "person.created"], log.Items.Select(a => a.Kind));
        Assert.All(log.Items, a => Assert.Equal("api-key:1", a.Actor));
        Assert.Contains("\"title\":[\"CTO\",\"CEO\"]", log.Items[0].Detail);
    }
}
