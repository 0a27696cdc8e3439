using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Activity;
using Tandem.Features.Calendars;
using Tandem.Features.Handoffs;
using Tandem.Features.Users;
using Tandem.Features.Webhooks;

namespace Tandem.Tests.Access;

/// <summary>Every configuration change is in the audit log: webhooks, territories, seats, reasons and holidays; secrets never.</summary>
public class ConfigurationAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Each_configuration_change_writes_an_activity_row(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var team = await app.PostAsync<TeamDto>("/api/teams", new { name = "EMEA", kind = "Sales" });
        var rep = await app.AddUserAsync("rep@tandem.test", Role.SalesRep);

        var hook = await app.PostAsync<WebhookEndpointWithSecretDto>("/api/webhooks/endpoints", new { name = "CRM", url = "https://crm.example/hook", events = "*" });
        (await app.Client.PutAsJsonAsync($"/api/webhooks/endpoints/{hook.Endpoint.Id}",
            new { name = "CRM sync", url = "https://crm.example/hook", events = "*", version = hook.Endpoint.Version }, Ct)).EnsureSuccessStatusCode();
        (await app.Client.PostAsync($"/api/webhooks/endpoints/{hook.Endpoint.Id}/rotate-secret", null, Ct)).EnsureSuccessStatusCode();
        (await app.Client.DeleteAsync($"/api/webhooks/endpoints/{hook.Endpoint.Id}", Ct)).EnsureSuccessStatusCode();
        var territory = await app.PostAsync<TerritoryDto>("/api/territories", new { name = "Germany", country = "Germany", teamId = team.Id });
        (await app.Client.PutAsJsonAsync($"/api/territories/{territory.Id}", new { name = "DACH", country = "Germany", teamId = team.Id }, Ct)).EnsureSuccessStatusCode();
        (await app.Client.DeleteAsync($"/api/territories/{territory.Id}", Ct)).EnsureSuccessStatusCode();
        (await app.Client.PutAsJsonAsync($"/api/users/{rep}/routing", new { isAway = true }, Ct)).EnsureSuccessStatusCode();
        await app.PostAsync<ReasonDto>("/api/handoffs/reasons", new { code = "wrong-region", label = "Wrong region" });
        (await app.Client.PutAsJsonAsync("/api/handoffs/reasons/wrong-region", new { label = "Wrong territory" }, Ct)).EnsureSuccessStatusCode();
        var holiday = await app.PostAsync<HolidayDto>("/api/holidays", new { date = "2026-12-25", name = "Christmas Day" });
        (await app.Client.DeleteAsync($"/api/holidays/{holiday.Id}", Ct)).EnsureSuccessStatusCode();

        var kinds = (await app.GetAsync<Tandem.Api.Page<ActivityDto>>("/api/activity?pageSize=500")).Items.Select(a => a.Kind).ToList();
        string[] expected =
        [
            "webhook.created", "webhook.updated", "webhook.deleted", "territory.created", "territory.updated", "territory.deleted",
            "routingseat.created", "rejectreason.created", "rejectreason.updated", "holiday.created", "holiday.deleted",
        ];
        Assert.All(expected, k => Assert.Contains(k, kinds));
        Assert.True(kinds.Count(k => k == "webhook.updated") >= 2); // the edit and the rotation
        var rotation = (await app.GetAsync<Tandem.Api.Page<ActivityDto>>("/api/activity?kind=webhook.updated&pageSize=500")).Items
            .Single(a => a.Detail!.Contains("\"secret\""));
        Assert.Contains("\"secret\":[\"***\",\"***\"]", rotation.Detail);
        var reason = (await app.GetAsync<Tandem.Api.Page<ActivityDto>>("/api/activity?kind=rejectreason.updated")).Items.Single();
        Assert.Contains("wrong-region", reason.Detail);
    }
}
