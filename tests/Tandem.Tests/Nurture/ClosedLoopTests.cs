using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

/// <summary>The loop the issue closes: recycled → nurtured at the SMTP sink → clicks → score → MQL again → routed to a rep.</summary>
public class ClosedLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_recycled_lead_gets_a_step_clicks_gains_score_requalifies_and_is_routed_to_a_rep(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        var ann = await w.RecycledAsync("ann@fit.test");
        var trackId = await w.TrackAsync(NurtureWorld.Track("No budget or timing"));

        // The re-engage date passes; the pass re-evaluates Ann through Lifecycle (not enough score yet), enrols her and sends step 1.
        w.App.Clock.Advance(TimeSpan.FromDays(8));
        await w.JustBelowThresholdAsync("ann@fit.test", ann);
        var run = await w.Runner.RunOnceAsync(Ct);
        Assert.Equal((1, 0, 1, 1, 1), (run.Reengaged, run.Requalified, run.Enrolled, run.Queued, run.Sent));

        var mail = await w.Sink.WaitForMessageAsync();
        Assert.Equal(["ann@fit.test"], mail.Recipients);
        Assert.Contains(mail.Message.Subject, new[] { "Still thinking about it?", "A thought for next quarter" });
        Assert.StartsWith("<https://tandem.test/n/u/", mail.Message.Headers["List-Unsubscribe"]);
        Assert.Contains("<mailto:unsubscribe@acme.test?subject=unsubscribe%20", mail.Message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Message.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("<a href=\"https://tandem.test/n/c/", mail.Message.HtmlBody);

        var before = await w.ScoreAsync(ann);
        var click = await w.ClickAsync(NurtureWorld.ClickPath(mail));
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal(NurtureWorld.Pricing, click.Headers.Location!.OriginalString);
        Assert.True(await w.ScoreAsync(ann) > before);

        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            var person = await db.People.SingleAsync(p => p.Id == ann, Ct);
            Assert.Equal(LifecycleStage.MQL, person.Stage);
            var last = await db.StageChanges.Where(c => c.PersonId == ann).OrderByDescending(c => c.Id).FirstAsync(Ct);
            Assert.Equal("definition:v1", last.Cause);
            var handoff = await db.Handoffs.Where(h => h.PersonId == ann).OrderByDescending(h => h.Id).FirstAsync(Ct);
            Assert.Equal(HandoffState.Open, handoff.State);
            Assert.Contains(handoff.AssigneeId!.Value, w.Team.Reps);
            var touch = await db.Touches.SingleAsync(t => t.PersonId == ann && t.Type == TouchType.EmailClick, Ct);
            Assert.Equal(Channel.Email, touch.Channel);
        }

        // A second click on the same link is the same touch; the next pass ends the enrolment: she became an MQL.
        Assert.Equal(HttpStatusCode.Redirect, (await w.ClickAsync(NurtureWorld.ClickPath(mail))).StatusCode);
        Assert.Equal(1, (await w.Runner.RunOnceAsync(Ct)).Exited);
        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            Assert.Equal(1, await db.Touches.CountAsync(t => t.PersonId == ann && t.Type == TouchType.EmailClick, Ct));
            var e = await db.NurtureEnrolments.SingleAsync(x => x.PersonId == ann, Ct);
            Assert.Equal((EnrolmentStatus.Exited, ExitReasons.BecameMql), (e.Status, e.ExitReason));
        }

        var results = await w.App.GetAsync<TrackResults>($"/api/nurture/tracks/{trackId}/results");
        var step = results.Steps.Single(s => s.StepKey == "m1");
        var row = step.Variants.Single(v => v.Sent == 1);
        Assert.Equal((1, 1, 1, 1), (row.Assigned, row.Delivered, row.Clicked, row.Requalified));
        Assert.Equal(1, results.Exits[ExitReasons.BecameMql]);
        var records = await w.App.GetAsync<List<RecordDto>>($"/api/nurture/tracks/{trackId}/results/records?step=m1&variant={row.Variant}&measure=Requalified");
        Assert.Equal("ann@fit.test", Assert.Single(records).Email);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_forged_click_signature_or_a_target_not_in_the_message_is_404_and_changes_nothing(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        var ann = await w.RecycledAsync("ann@fit.test");
        await w.TrackAsync(NurtureWorld.Track("Recycled"));
        w.App.Clock.Advance(TimeSpan.FromDays(8));
        await w.Runner.RunOnceAsync(Ct);
        var path = NurtureWorld.ClickPath(await w.Sink.WaitForMessageAsync());
        var anonymous = w.App.Anonymous();

        var forged = path.Replace("-", "-x", StringComparison.Ordinal);
        var elsewhere = path[..path.IndexOf("?u=", StringComparison.Ordinal)] + "?u=" + Uri.EscapeDataString("https://evil.test/");
        foreach (var url in new[] { forged, elsewhere, "/n/c/1-AAAAAAAAAAAAAAAAAAAAAA?u=https%3A%2F%2Facme.test%2Fpricing", "/n/o/1-nope", "/n/u/1-nope" })
        {
            var res = await anonymous.GetAsync(url, Ct);
            Assert.True(HttpStatusCode.NotFound == res.StatusCode, $"{url} answered {res.StatusCode} {res.Headers.Location}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync($"/n/u/{ann}-AAAAAAAAAAAAAAAAAAAAAA", null, Ct)).StatusCode);
        await w.App.App.Services.GetRequiredService<ClickWriter>().FlushAsync(Ct); // nothing queued either

        await using var db = w.App.Db.Open(w.App.Clock);
        Assert.False(await db.Touches.AnyAsync(t => t.PersonId == ann && (t.Type == TouchType.EmailClick || t.Type == TouchType.Unsubscribe), Ct));
        Assert.False(await db.EmailSuppressions.AnyAsync(Ct));
        Assert.Null(await db.NurtureSends.Select(s => s.ClickedAt).SingleAsync(Ct));
    }
}
