using System.Net;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Opportunities;
using Tandem.Features.People;

namespace Tandem.Tests.Api;

public class StageChangeApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Inquiry_straight_to_Customer_is_refused_and_nothing_changes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });

        var res = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "Customer" }, Ct);

        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Contains("won opportunity", problem.Errors["to"].Single());
        Assert.Single(await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages"));
        Assert.Equal(LifecycleStage.Inquiry, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_whole_funnel_is_walked_with_cause_actor_and_time_recorded(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        await app.PostAsync<StageChangeDto>($"/api/people/{p.Id}/stage", new { to = "MQL", note = "met at the fair" });
        app.Clock.Advance(TimeSpan.FromHours(3));
        // A hand-made MQL is routed like any other; sales accepts it through the handoff.
        var lead = Assert.Single(await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}"));
        (await app.Client.PostAsJsonAsync($"/api/handoffs/{lead.Id}/accept", new { note = "called, interested" }, Ct)).EnsureSuccessStatusCode();
        // The deal moves its contact to SQL, the win to Customer: nobody moves those stages by hand.
        var opp = await app.PostAsync<OpportunityDto>("/api/opportunities", new { name = "Acme deal", salesStage = "Discovery", primaryPersonId = p.Id, amountMinor = 1_000_000 });
        app.Clock.Advance(TimeSpan.FromDays(20));
        (await app.Client.PutAsJsonAsync($"/api/opportunities/{opp.Id}", new { name = opp.Name, salesStage = "Closed", outcome = "Won", primaryPersonId = p.Id, amountMinor = 1_000_000, version = opp.Version }, Ct)).EnsureSuccessStatusCode();

        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal([LifecycleStage.Inquiry, LifecycleStage.MQL, LifecycleStage.SAL, LifecycleStage.SQL, LifecycleStage.Customer], history.Select(h => h.To));
        Assert.Equal(["manual", "manual", "sla:accept", "opportunity", "opportunity:won"], history.Select(h => h.Cause));
        Assert.Equal("called, interested", history[2].Note);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, history[^1].At);
        // The current stage is derivable from the history: it is the last change's target.
        Assert.Equal(history[^1].To, (await app.GetAsync<PersonDto>($"/api/people/{p.Id}")).Stage);
        Assert.Equal(HandoffState.Converted, (await app.GetAsync<List<HandoffDto>>($"/api/handoffs?personId={p.Id}")).Single().State);
        var oppStages = await app.GetAsync<List<OpportunityStageDto>>($"/api/opportunities/{opp.Id}/stages");
        Assert.Equal([("Discovery", Outcome.Open), ("Closed", Outcome.Won)], oppStages.Select(s => (s.To, s.Outcome)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Nurture_needs_a_reason_and_keeps_the_reengage_date(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var missing = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "Nurture" }, Ct);
        Assert.Contains("reason", (await Problem.ReadAsync(missing, HttpStatusCode.BadRequest)).Errors["to"].Single());

        var reengage = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        await app.PostAsync<StageChangeDto>($"/api/people/{p.Id}/stage", new { to = "Nurture", reason = "no budget now", reengageAt = reengage });
        var stored = await app.GetAsync<PersonDto>($"/api/people/{p.Id}");
        Assert.Equal((LifecycleStage.Nurture, reengage), (stored.Stage, stored.ReengageAt));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_missing_or_unknown_target_stage_names_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var res = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { reason = "x" }, Ct);
        Assert.Contains("to", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys);
        var bad = await app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "Champion" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
