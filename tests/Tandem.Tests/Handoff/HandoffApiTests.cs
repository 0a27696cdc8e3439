using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Opportunities;

namespace Tandem.Tests.Handoff;

/// <summary>Routing of real MQLs, the known-opportunity credit, and the rep's actions with their bad inputs and races.</summary>
public class HandoffApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Mql_is_routed_to_account_owner_when_account_is_known_else_round_robin_in_the_territory(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("owned.com", ownerId: w.Reps[2]);
        await w.AccountAsync("open.com");

        var owned = await w.MqlAsync("ann@owned.com");
        Assert.Equal((w.Reps[2], Router.AccountOwner), (owned.AssigneeId, owned.Rule));
        Assert.Equal(new DateTime(2026, 3, 2, 13, 0, 0, DateTimeKind.Utc), owned.FirstTouchDue); // 4 business hours in the rep's (UTC) calendar
        Assert.Equal(SlaStatus.OnTrack, owned.Status);

        var rr = new List<int>();
        foreach (var name in new[] { "a", "b", "c", "d", "e", "f" })
            rr.Add((await w.MqlAsync($"{name}@open.com")).AssigneeId!.Value);
        // Rep 3 got the owned account's lead most recently, so round robin starts with reps 1 and 2.
        Assert.Equal([w.Reps[0], w.Reps[1], w.Reps[2], w.Reps[0], w.Reps[1], w.Reps[2]], rr);
        var one = await app.GetAsync<HandoffDetailDto>($"/api/handoffs/{(await app.GetAsync<List<HandoffDto>>("/api/handoffs")).First().Id}");
        Assert.Contains("Territory 'EMEA'", (await app.GetAsync<List<HandoffDto>>("/api/handoffs")).First(h => h.Rule == Router.RoundRobin).RuleNote);
        Assert.NotNull(one.Handoff.AssigneeName);

        await using var db = app.Db.Open(app.Clock);
        Assert.Equal(w.Reps[2], (await db.People.SingleAsync(p => p.Email == "ann@owned.com", Ct)).OwnerId);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_lead_at_an_account_with_an_open_opportunity_is_attached_credited_and_its_owner_told(string provider)
    {
        await using var sink = SmtpSink.Start();
        var w = await HandoffWorld.StartAsync(provider, new()
        {
            ["Smtp:Host"] = sink.Host, ["Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = "tandem@acme.test", ["Smtp:Tls"] = "None",
        });
        await using var app = w.App;
        var account = await w.AccountAsync("deal.com", ownerId: w.Reps[0]);
        int oppId;
        await using (var db = app.Db.Open(app.Clock))
        {
            var opp = new Opportunity { Name = "Deal – New business", AccountId = account, OwnerId = w.Reps[1], SalesStage = "Proposal", AmountMinor = 5_000_000 };
            db.Opportunities.Add(opp);
            await db.SaveChangesAsync(Ct);
            oppId = opp.Id;
        }

        var lead = await w.MqlAsync("cfo@deal.com");
        Assert.Equal((w.Reps[1], Router.KnownOpportunity, oppId, true), (lead.AssigneeId, lead.Rule, lead.OpportunityId, lead.KnownOpportunity));
        var influence = Assert.Single(await app.GetAsync<List<InfluenceDto>>($"/api/opportunities/{oppId}/influences"));
        Assert.Equal((lead.PersonId, lead.Id), (influence.PersonId, influence.HandoffId));
        Assert.StartsWith("Fast track: demo request", influence.Note);

        var sweep = await app.App.Services.GetRequiredService<SlaSweeper>().RunOnceAsync(Ct);
        Assert.Equal(1, sweep.OwnersTold);
        var mail = await sink.WaitForMessageAsync();
        Assert.Equal([w.Email(w.Reps[1])], mail.Recipients);
        Assert.Contains("Deal – New business", mail.Message.Subject);
        Assert.Equal(0, (await app.App.Services.GetRequiredService<SlaSweeper>().RunOnceAsync(Ct)).OwnersTold);

        // Rejecting it as "known opportunity" does not take the credit away.
        var rep = await w.SignInAsync(w.Reps[1]);
        var res = await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/reject", new { reason = "existing-customer-or-opportunity" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Single(await app.GetAsync<List<InfluenceDto>>($"/api/opportunities/{oppId}/influences"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_accepts_at_once_one_wins_and_the_other_gets_a_conflict(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("race.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("ann@race.com");
        var rep = await w.SignInAsync(w.Reps[0]);
        var manager = await w.SignInAsync(w.ManagerId);

        var answers = await Task.WhenAll(
            HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/accept", new { version = lead.Version }),
            HandoffWorld.PostAsync(manager.Client, $"/api/handoffs/{lead.Id}/accept", new { version = lead.Version }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var conflict = await Problem.ReadAsync(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict);
        // The loser is stopped by whichever guard it reaches first: the handoff's version or the person's stage.
        Assert.True(conflict.Detail!.Contains($"Lead {lead.Id}") || conflict.Detail.Contains("ann@race.com"), conflict.Detail);
        await using var db = app.Db.Open(app.Clock);
        Assert.Equal(1, await db.StageChanges.CountAsync(c => c.PersonId == lead.PersonId && c.To == LifecycleStage.SAL, Ct));
        Assert.Equal(HandoffState.Accepted, (await db.Handoffs.SingleAsync(Ct)).State);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_actions_get_clear_errors_naming_the_problem(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("bad.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("ann@bad.com");
        var owner = await w.SignInAsync(w.Reps[0]);
        var other = await w.SignInAsync(w.Reps[1]);

        var noReason = await Problem.ReadAsync(await HandoffWorld.PostAsync(owner.Client, $"/api/handoffs/{lead.Id}/reject", new { note = "meh" }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", noReason.Errors.Keys);
        var unknown = await Problem.ReadAsync(await HandoffWorld.PostAsync(owner.Client, $"/api/handoffs/{lead.Id}/reject", new { reason = "ugly" }), HttpStatusCode.BadRequest);
        Assert.Contains("no-budget-or-timing", unknown.Errors["reason"][0]);

        var notMine = await Problem.ReadAsync(await HandoffWorld.PostAsync(other.Client, $"/api/handoffs/{lead.Id}/attempts", new { kind = "Call" }), HttpStatusCode.Forbidden);
        Assert.Contains("not yours", notMine.Detail);
        var noKind = await Problem.ReadAsync(await HandoffWorld.PostAsync(owner.Client, $"/api/handoffs/{lead.Id}/attempts", new { note = "hi" }), HttpStatusCode.BadRequest);
        Assert.Contains("kind", noKind.Errors.Keys);

        // Accepting is sales' side of the promise: marketing cannot accept its own MQL.
        var marketing = await app.SignInAsNewAsync(Role.Marketing);
        Assert.Equal(HttpStatusCode.Forbidden, (await HandoffWorld.PostAsync(marketing.Browser.Client, $"/api/handoffs/{lead.Id}/accept", new { })).StatusCode);
        var page = await marketing.Browser.Client.GetStringAsync($"/handoff/{lead.Id}", Ct);
        Assert.Contains("data-testid=\"no-actions\"", page);
        Assert.DoesNotContain("attempt-form", page);
        Assert.Contains("attempt-form", await owner.Client.GetStringAsync($"/handoff/{lead.Id}", Ct));

        var rejected = await HandoffWorld.PostAsync(owner.Client, $"/api/handoffs/{lead.Id}/reject", new { reason = "bad-contact-data", note = "Phone and email bounce" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var late = await Problem.ReadAsync(await HandoffWorld.PostAsync(owner.Client, $"/api/handoffs/{lead.Id}/accept", new { }), HttpStatusCode.Conflict);
        Assert.Contains("already rejected", late.Detail);

        await using var db = app.Db.Open(app.Clock);
        var last = await db.StageChanges.Where(c => c.PersonId == lead.PersonId).OrderByDescending(c => c.Id).FirstAsync(Ct);
        Assert.Equal((LifecycleStage.Disqualified, "Bad contact data", "Phone and email bounce", "sla:reject"), (last.To, last.Reason, last.Note, last.Cause));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_rep_logs_attempts_accepts_and_converts_and_no_budget_recycles_to_nurture(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("good.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("ann@good.com");
        var rep = await w.SignInAsync(w.Reps[0]);

        app.Clock.Advance(TimeSpan.FromHours(1));
        foreach (var kind in new[] { "Call", "Email", "Call" })
            Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/attempts", new { kind, note = "tried" })).StatusCode);
        var after = await app.GetAsync<HandoffDetailDto>($"/api/handoffs/{lead.Id}");
        Assert.Equal((3, 3), (after.Handoff.AttemptCount, after.Attempts.Count));
        Assert.Equal(HandoffWorld.Monday9.UtcDateTime.AddHours(1), after.Handoff.FirstTouchAt);
        Assert.Equal("accept or reject", after.Handoff.NextStep);

        Assert.Equal(HttpStatusCode.OK, (await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/accept", new { })).StatusCode);
        var converted = await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/convert", new { amountMinor = 1_200_000 });
        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var done = (await converted.Content.ReadFromJsonAsync<HandoffDetailDto>(TestApp.Json, Ct))!.Handoff;
        Assert.Equal((HandoffState.Converted, SlaStatus.Met), (done.State, done.Status));
        Assert.NotNull(done.OpportunityId);

        var second = await w.MqlAsync("bob@good.com");
        var recycled = await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{second.Id}/reject", new { reason = "no-budget-or-timing", note = "Budget next year" });
        Assert.Equal(HttpStatusCode.OK, recycled.StatusCode);
        await using var db = app.Db.Open(app.Clock);
        var ann = await db.StageChanges.Where(c => c.PersonId == lead.PersonId).OrderBy(c => c.Id).Select(c => c.To).ToListAsync(Ct);
        Assert.Equal([LifecycleStage.Inquiry, LifecycleStage.MQL, LifecycleStage.SAL, LifecycleStage.SQL], ann);
        var bob = await db.People.SingleAsync(p => p.Id == second.PersonId, Ct);
        Assert.Equal(LifecycleStage.Nurture, bob.Stage);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(90), bob.ReengageAt);
    }
}
