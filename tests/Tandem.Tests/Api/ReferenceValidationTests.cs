using System.Net;
using System.Net.Http.Json;
using Tandem.Features.Accounts;
using Tandem.Features.Campaigns;
using Tandem.Features.Opportunities;
using Tandem.Features.Users;

namespace Tandem.Tests.Api;

public class ReferenceValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_opportunity_with_unknown_account_and_owner_is_refused_naming_both(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsJsonAsync("/api/opportunities", new { name = "Deal", salesStage = "Discovery", accountId = 77, ownerId = 88, amountMinor = -5 }, Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Equal(["accountId", "amountMinor", "ownerId"], problem.Errors.Keys.Order());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_account_with_an_unknown_owner_is_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsJsonAsync("/api/accounts", new { name = "Acme", ownerId = 3, currency = "dollars" }, Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Equal(["currency", "ownerId"], problem.Errors.Keys.Order());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Users_need_a_real_time_zone_and_a_known_manager(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsJsonAsync("/api/users", new { name = "Rep", email = "rep@tandem.dev", timeZone = "Mars/Olympus", managerId = 9, workingDays = "Mon,Funday" }, Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Equal(["managerId", "timeZone", "workingDays"], problem.Errors.Keys.Order());

        var team = await app.PostAsync<TeamDto>("/api/teams", new { name = "East", kind = "Sales" });
        var boss = await app.PostAsync<UserDto>("/api/users", new { name = "Boss", email = "boss@tandem.dev", role = "SalesManager", teamId = team.Id, timeZone = "America/New_York" });
        var rep = await app.PostAsync<UserDto>("/api/users", new { name = "Rep", email = "rep@tandem.dev", role = "SalesRep", teamId = team.Id, managerId = boss.Id, timeZone = "Europe/Berlin" });
        Assert.Equal((boss.Id, "Europe/Berlin"), (rep.ManagerId!.Value, rep.TimeZone));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Closed_deals_get_a_close_date_and_open_ones_cannot_have_one(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var won = await app.PostAsync<OpportunityDto>("/api/opportunities", new { name = "Won", salesStage = "Closed", outcome = "Won", amountMinor = 100 });
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, won.ClosedAt);
        var res = await app.Client.PostAsJsonAsync("/api/opportunities", new { name = "Open", salesStage = "Discovery", closedAt = "2026-01-01T00:00:00Z" }, Ct);
        Assert.Contains("closedAt", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Campaign_and_account_updates_detect_stale_versions(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var c = await app.PostAsync<CampaignDto>("/api/campaigns", new { name = "Q1 ads", channel = "PaidSearch", costMinor = 10 });
        var a = await app.PostAsync<AccountDto>("/api/accounts", new { name = "Acme" });
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync($"/api/campaigns/{c.Id}", new { name = "Q1 search", channel = "PaidSearch", version = 1 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync($"/api/accounts/{a.Id}", new { name = "Acme Inc", version = 1 }, Ct)).StatusCode);
        await Problem.ReadAsync(await app.Client.PutAsJsonAsync($"/api/campaigns/{c.Id}", new { name = "Stale", channel = "Email", version = 1 }, Ct), HttpStatusCode.Conflict);
        await Problem.ReadAsync(await app.Client.PutAsJsonAsync($"/api/accounts/{a.Id}", new { name = "Stale", version = 1 }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("Acme Inc", (await app.GetAsync<AccountDto>($"/api/accounts/{a.Id}")).Name);
    }
}
