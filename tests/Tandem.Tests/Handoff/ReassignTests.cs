using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Users;

namespace Tandem.Tests.Handoff;

/// <summary>A manager moves an open lead within their team: audited, the clock restarted for the new rep (decision 0081),
/// and refused outside the team.</summary>
public class ReassignTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_manager_reassigns_within_the_team_the_clock_restarts_for_the_new_rep_and_the_move_is_audited(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("move.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("ann@move.com");
        Assert.Equal(w.Reps[0], lead.AssigneeId);
        Assert.Equal(new DateTime(2026, 3, 2, 13, 0, 0, DateTimeKind.Utc), lead.FirstTouchDue);

        app.Clock.Advance(TimeSpan.FromHours(3)); // Monday 12:00: one business hour of the first rep's four is left
        var manager = await w.SignInAsync(w.ManagerId);
        var res = await HandoffWorld.PostAsync(manager.Client, $"/api/handoffs/{lead.Id}/reassign",
            new { assigneeId = w.Reps[1], note = "Riley is out this week", version = lead.Version });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var moved = (await res.Content.ReadFromJsonAsync<HandoffDetailDto>(TestApp.Json, Ct))!.Handoff;

        // The new rep gets the full four business hours from the move (12:00 → 16:00), not the one left.
        Assert.Equal(w.Reps[1], moved.AssigneeId);
        Assert.Equal(new DateTime(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc), moved.AssignedAt);
        Assert.Equal(new DateTime(2026, 3, 2, 16, 0, 0, DateTimeKind.Utc), moved.FirstTouchDue);
        Assert.True(moved.DecideDue > lead.DecideDue);
        Assert.Equal(SlaStatus.OnTrack, moved.Status);
        Assert.Equal(HandoffState.Open, moved.State);
        Assert.Contains("Reassigned from", moved.RuleNote);

        await using var db = app.Db.Open(app.Clock);
        Assert.Equal(w.Reps[1], (await db.People.SingleAsync(p => p.Id == lead.PersonId, Ct)).OwnerId);
        var audit = await db.Activity.SingleAsync(a => a.Kind == "handoff.reassigned" && a.SubjectId == lead.PersonId, Ct);
        Assert.Equal($"user:{w.ManagerId}", audit.Actor);
        Assert.Contains($"\"fromId\":{w.Reps[0]}", audit.Detail);
        Assert.Contains($"\"toId\":{w.Reps[1]}", audit.Detail);
        Assert.Contains("Riley is out this week", audit.Detail);
        Assert.Contains("\"clock\":\"restarted\"", audit.Detail);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Reassignment_is_refused_to_a_rep_outside_the_team_to_reps_and_on_a_stale_version(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("keep.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("bob@keep.com");
        var outsider = await app.AddUserAsync("apac.rep@acme.test", Role.SalesRep);
        await using (var db = app.Db.Open(app.Clock))
        {
            var apac = new Team { Name = "APAC", Kind = TeamKind.Sales };
            db.Teams.Add(apac);
            await db.SaveChangesAsync(Ct);
            (await db.Users.SingleAsync(u => u.Id == outsider, Ct)).TeamId = apac.Id;
            await db.SaveChangesAsync(Ct);
        }
        var manager = await w.SignInAsync(w.ManagerId);

        var outside = await Problem.ReadAsync(await HandoffWorld.PostAsync(manager.Client, $"/api/handoffs/{lead.Id}/reassign", new { assigneeId = outsider }),
            HttpStatusCode.BadRequest);
        Assert.Contains("not an active rep of a team you manage", outside.Errors["assigneeId"][0]);

        var rep = await w.SignInAsync(w.Reps[0]);
        var byRep = await Problem.ReadAsync(await HandoffWorld.PostAsync(rep.Client, $"/api/handoffs/{lead.Id}/reassign", new { assigneeId = w.Reps[1] }),
            HttpStatusCode.Forbidden);
        Assert.Contains("managers", byRep.Detail);

        var stale = await Problem.ReadAsync(await HandoffWorld.PostAsync(manager.Client, $"/api/handoffs/{lead.Id}/reassign",
            new { assigneeId = w.Reps[1], version = lead.Version + 7 }), HttpStatusCode.Conflict);
        Assert.Contains("no longer at version", stale.Detail);

        await using var check = app.Db.Open(app.Clock);
        var h = await check.Handoffs.SingleAsync(x => x.Id == lead.Id, Ct);
        Assert.Equal(w.Reps[0], h.AssigneeId);
        Assert.Equal(lead.FirstTouchDue, h.FirstTouchDue);
        Assert.False(await check.Activity.AnyAsync(a => a.Kind == "handoff.reassigned", Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_breach_recorded_before_the_move_stays_on_the_lead(string provider)
    {
        var w = await HandoffWorld.StartAsync(provider);
        await using var app = w.App;
        await w.AccountAsync("late.com", ownerId: w.Reps[0]);
        var lead = await w.MqlAsync("cy@late.com");
        app.Clock.Advance(TimeSpan.FromHours(5)); // Monday 14:00: the 13:00 first touch passed unmet
        await using (var db = app.Db.Open(app.Clock))
        {
            var h = await db.Handoffs.SingleAsync(x => x.Id == lead.Id, Ct);
            h.BreachedMask = (int)SlaDeadline.FirstTouch; // as the sweeper records it
            db.SlaBreaches.Add(new SlaBreach { HandoffId = h.Id, Deadline = SlaDeadline.FirstTouch, DueAt = h.FirstTouchDue, RecordedAt = db.UtcNow, AssigneeId = w.Reps[0] });
            await db.SaveChangesAsync(Ct);
        }
        var manager = await w.SignInAsync(w.ManagerId);
        var res = await HandoffWorld.PostAsync(manager.Client, $"/api/handoffs/{lead.Id}/reassign", new { assigneeId = w.Reps[2] });
        var moved = (await res.Content.ReadFromJsonAsync<HandoffDetailDto>(TestApp.Json, Ct))!;
        Assert.Equal(SlaStatus.Breached, moved.Handoff.Status);
        Assert.Equal(new DateTime(2026, 3, 3, 10, 0, 0, DateTimeKind.Utc), moved.Handoff.FirstTouchDue); // 3 h Monday + 1 h Tuesday
        var breach = Assert.Single(moved.Breaches);
        Assert.Equal(SlaDeadline.FirstTouch, breach.Deadline);
    }

    [Fact]
    public void The_team_queue_puts_breached_leads_first_then_the_soonest_deadline()
    {
        var t0 = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        HandoffDto Lead(int id, SlaStatus status, int hours) => new(id, id, $"p{id}", "x@y.z", null, null, null, 1, "Rep", null, "r", "n",
            HandoffState.Open, status, t0, t0, t0, t0, t0, null, 0, 3, "first touch", t0.AddHours(hours), null, null, null, null, null, false, 1);
        var order = TeamQueue.Order([Lead(1, SlaStatus.OnTrack, 1), Lead(2, SlaStatus.Breached, 9), Lead(3, SlaStatus.DueSoon, 2),
            Lead(4, SlaStatus.Breached, 3), Lead(5, SlaStatus.OnTrack, -1)]).Select(h => h.Id);
        Assert.Equal([4, 2, 3, 5, 1], order);
    }
}
