using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>The routing setup an admin edits: territories, away reps and capacity, the reason catalog.</summary>
public class RoutingApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Territories_seats_and_reasons_are_edited_through_the_api_and_change_routing(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("open.com");

        var noTeam = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/territories", new { name = "Nowhere" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("teamId", noTeam.Errors.Keys);
        var band = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/territories",
            new { name = "Odd", teamId = w.TeamId, minEmployees = 500, maxEmployees = 100 }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("maxEmployees", band.Errors.Keys);
        Assert.Single(await app.GetAsync<List<TerritoryDto>>("/api/territories"));

        // Reps 1 and 2 away or full: round robin gives everything to rep 3, and says how many were available.
        await app.Client.PutAsJsonAsync($"/api/users/{w.Reps[0]}/routing", new { isAway = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync($"/api/users/{w.Reps[1]}/routing", new { capacity = 0 }, Ct)).StatusCode);
        Assert.True((await app.GetAsync<SeatDto>($"/api/users/{w.Reps[0]}/routing")).IsAway);
        var first = await w.MqlAsync("a@open.com");
        Assert.Equal(w.Reps[2], first.AssigneeId);
        Assert.EndsWith("least recently assigned of 1 available", first.RuleNote);

        // Rep 3 away too: the team's manager, recorded as a fallback.
        await app.Client.PutAsJsonAsync($"/api/users/{w.Reps[2]}/routing", new { isAway = true }, Ct);
        var fallback = await w.MqlAsync("b@open.com");
        Assert.Equal((w.ManagerId, Router.TeamManager), (fallback.AssigneeId, fallback.Rule));

        // The catalog grows; a retired reason can no longer be used.
        var added = await app.PostAsync<ReasonDto>("/api/handoffs/reasons", new { code = "wrong-region", label = "Wrong region" });
        Assert.Equal(9, added.Position);
        var dup = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/handoffs/reasons", new { code = "wrong-region", label = "Again" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("code", dup.Errors.Keys);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync($"/api/handoffs/{first.Id}/reject", new { reason = "wrong-region" }, Ct)).StatusCode);
        await app.Client.PutAsJsonAsync("/api/handoffs/reasons/duplicate", new { isActive = false }, Ct);
        var retired = await Problem.ReadAsync(await app.Client.PostAsJsonAsync($"/api/handoffs/{fallback.Id}/reject", new { reason = "duplicate" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("reason", retired.Errors.Keys);

        // Every step is on the person's timeline.
        await using var db = app.Db.Open(app.Clock);
        var kinds = await db.Activity.Where(a => a.SubjectId == first.PersonId && a.Kind.StartsWith("handoff.")).Select(a => a.Kind).ToListAsync(Ct);
        Assert.Contains("handoff.assigned", kinds);
    }
}
