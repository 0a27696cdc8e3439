using Tandem.Features.Lifecycle;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tandem.Features.People;

namespace Tandem.Tests.Api;

public class MalformedRequestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_wrongly_typed_field_is_named_by_its_path(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsync("/api/touches:batch",
            Json("""{"touches":[{"eventId":"a","email":"a@b.co","type":"FormFill","channel":"Organic","occurredAt":"yesterday"}]}"""), Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Equal(["touches[0].occurredAt"], problem.Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_value_of_the_wrong_type_is_described_in_words_not_dotnet_types(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var list = await Problem.ReadAsync(await app.Client.PostAsync("/api/touches:batch", Json("""{"touches":{"x":1}}"""), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("expected a list", list.Errors["touches"].Single());
        var type = await Problem.ReadAsync(await app.Client.PostAsync("/api/touches:batch",
            Json("""{"touches":[{"eventId":"a","email":"a@b.co","type":"Visit","channel":"Organic","occurredAt":"2026-01-01T00:00:00Z"}]}"""), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("wrong type", type.Errors["touches[0].type"].Single());
        Assert.DoesNotContain("System.", list.Detail + type.Detail);
        Assert.DoesNotContain("Tandem.", list.Detail + type.Detail);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_unknown_enum_value_is_named(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        var res = await app.Client.PostAsync($"/api/people/{p.Id}/stage", Json("""{"to":"Champion"}"""), Ct);
        Assert.Equal(["to"], (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_body_that_is_not_json_is_a_problem(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsync("/api/people", Json("{email: oops"), Ct);
        await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Simultaneous_stage_moves_each_land_or_conflict_and_history_stays_consistent(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });

        var results = await Task.WhenAll(
            app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "MQL" }, Ct),
            app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "MQL" }, Ct),
            app.Client.PostAsJsonAsync($"/api/people/{p.Id}/stage", new { to = "MQL" }, Ct));

        // Whatever the interleaving: exactly one MQL move lands; the others are refused (409 race, or 400 "already at MQL").
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.BadRequest }));
        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal([Tandem.Data.LifecycleStage.Inquiry, Tandem.Data.LifecycleStage.MQL], history.Select(h => h.To));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_stage_move_decided_on_a_stale_read_is_refused_by_the_database(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var p = await app.PostAsync<PersonDto>("/api/people", new { email = "ann@acme.com" });
        await using var a = app.Db.Open(app.Clock);
        await using var b = app.Db.Open(app.Clock);
        var seenByA = await a.People.FindAsync([p.Id], Ct);
        var seenByB = await b.People.FindAsync([p.Id], Ct);

        Assert.Null((await Transitions.ManualAsync(a, seenByA!, Tandem.Data.LifecycleStage.MQL, null, null, null, "user:1", Ct)).Error);
        Assert.Null((await Transitions.ManualAsync(b, seenByB!, Tandem.Data.LifecycleStage.Disqualified, "student", null, null, "user:2", Ct)).Error);
        await a.SaveChangesAsync(Ct);

        await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException>(() => b.SaveChangesAsync(Ct));
        var history = await app.GetAsync<List<StageChangeDto>>($"/api/people/{p.Id}/stages");
        Assert.Equal([Tandem.Data.LifecycleStage.Inquiry, Tandem.Data.LifecycleStage.MQL], history.Select(h => h.To));
    }
}
