using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Tests.Api;

/// <summary>Inputs that used to end in a 500: each now gets a 4xx naming its field, or a sensible answer.</summary>
public class OutOfRangeInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Each_answers_with_a_problem_naming_its_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        async Task<string> FieldOf(HttpResponseMessage res) => (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys.Single();

        var nullItem = await app.Client.PostAsync("/api/touches:batch", new StringContent("""{"touches":[null]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, nullItem.StatusCode);
        Assert.Equal("touches[0]", (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<BatchResult>(nullItem.Content, TestApp.Json, Ct))!.Errors.Single().Field);
        Assert.Equal("halfLife", await FieldOf(await app.Client.GetAsync("/api/insight/attribution?model=time-decay&halfLife=NaN", Ct)));
        Assert.Equal("halfLife", await FieldOf(await app.Client.GetAsync("/api/insight/attribution?model=time-decay&halfLife=1e-320", Ct)));
        var me = await app.AddUserAsync("rep@tandem.test", Role.SalesRep);
        Assert.Equal("from", await FieldOf(await app.Client.GetAsync($"/api/users/{me}/calendar/deadline?from=9999-12-30&businessDays=5", Ct)));
        Assert.Equal("businessHours", await FieldOf(await app.Client.GetAsync($"/api/users/{me}/calendar/deadline?businessHours=NaN", Ct)));
        Assert.Equal("from", await FieldOf(await app.Client.GetAsync("/api/sla/report?from=0001-01-01&to=9999-12-31", Ct)));
        Assert.Equal("to", await FieldOf(await app.Client.GetAsync("/api/sla/report?from=2000-01-01&to=2199-12-31", Ct)));

        await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var far = await app.GetAsync<Page<PersonDto>>("/api/people?page=2147483647");
        Assert.Equal((0, 1), (far.Items.Count, far.Total));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Numbers_outside_an_enum_and_amounts_past_the_maximum_are_refused_naming_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        async Task<string> FieldOf(string url, object body) =>
            (await Problem.ReadAsync(await app.Client.PostAsJsonAsync(url, body, Ct), HttpStatusCode.BadRequest)).Errors.Keys.Single();

        Assert.Equal("outcome", await FieldOf("/api/opportunities", new { name = "Deal", salesStage = "Open", outcome = 7 }));
        Assert.Equal("amountMinor", await FieldOf("/api/opportunities", new { name = "Deal", salesStage = "Open", amountMinor = long.MaxValue }));
        Assert.Equal("role", await FieldOf("/api/users", new { name = "Ann", email = "ann@acme.com", role = 99 }));
        Assert.Equal("scope", await FieldOf("/api/keys", new { name = "k", scope = 9 }));
        Assert.Equal("channel", await FieldOf("/api/campaigns", new { name = "Spring", channel = 77 }));
        Assert.Equal("costMinor", await FieldOf("/api/campaigns", new { name = "Spring", channel = "Email", costMinor = Money.MaxMinor + 1 }));
        var longName = new string('x', 301);
        Assert.Equal("name", await FieldOf("/api/accounts", new { name = longName }));
        Assert.Equal("name", await FieldOf("/api/campaigns", new { name = longName, channel = "Email" }));
        Assert.Equal("name", await FieldOf("/api/opportunities", new { name = longName, salesStage = "Open" }));
        Assert.Equal("industry", await FieldOf("/api/accounts", new { name = "Acme", industry = "Soft\0ware" }));
        // The largest amount is stored, and totals of many of them still add up.
        (await app.Client.PostAsJsonAsync("/api/opportunities", new { name = "Big", salesStage = "Open", amountMinor = Money.MaxMinor }, Ct)).EnsureSuccessStatusCode();
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_SLA_dashboard_shows_the_default_period_for_one_it_cannot_cover(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, manager) = await app.SignInAsNewAsync(Role.SalesManager);
        var res = await manager.Client.GetAsync("/handoff/dashboard?from=0001-01-01&to=9999-12-31", Ct);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
    }

    [Theory]
    [InlineData("/people\tx")]
    [InlineData("/people\r\nSet-Cookie: x=1")]
    [InlineData("//evil.example")]
    public async Task A_return_address_with_control_characters_or_another_host_sends_home(string returnUrl)
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.AddUserAsync("rep@tandem.test", Role.SalesRep);
        using var browser = app.NewBrowser();
        var res = await browser.PostFormAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl),
            new() { ["email"] = "rep@tandem.test", ["password"] = Browser.Password, ["returnUrl"] = returnUrl }, tokenFrom: "/account/login");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.Equal("/", res.Headers.Location!.OriginalString);
    }
}
