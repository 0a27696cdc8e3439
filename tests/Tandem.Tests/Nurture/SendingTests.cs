using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Lifecycle;
using Tandem.Features.Nurture;
using Tandem.Features.People;

namespace Tandem.Tests.NurtureTracks;

/// <summary>Who is never mailed, one-click unsubscribe, and an SMTP outage, against the real sink.</summary>
public class SendingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task One_click_unsubscribe_works_by_post_without_sign_in_and_the_address_is_never_mailed_again(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        await w.TouchAsync("bea@fit.test", "WebVisit");
        var bea = await w.Team.PersonIdAsync("bea@fit.test");
        await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));
        await w.Runner.RunOnceAsync(Ct);
        var mail = await w.Sink.WaitForMessageAsync();
        var url = new Uri(mail.Message.Headers["List-Unsubscribe"]!.Split(',')[0].Trim('<', '>', ' '));
        var anonymous = w.App.Anonymous();

        // GET (what a link scanner does) only shows the confirmation page.
        var page = await anonymous.GetAsync(url.AbsolutePath, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync(Ct));
        await using (var db = w.App.Db.Open(w.App.Clock)) Assert.False(await db.EmailSuppressions.AnyAsync(Ct));

        // The mailbox provider's one-click POST (RFC 8058), no cookie, no key.
        var post = await anonymous.PostAsync(url.AbsolutePath, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), Ct);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(url.AbsolutePath, null, Ct)).StatusCode); // twice is harmless
        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            var s = await db.EmailSuppressions.SingleAsync(Ct);
            Assert.Equal(("bea@fit.test", SuppressionReason.Unsubscribed, bea), (s.Email, s.Reason, s.PersonId));
            Assert.Equal(1, await db.Touches.CountAsync(t => t.PersonId == bea && t.Type == TouchType.Unsubscribe, Ct));
            var e = await db.NurtureEnrolments.SingleAsync(Ct);
            Assert.Equal((EnrolmentStatus.Exited, ExitReasons.Unsubscribed), (e.Status, e.ExitReason));
        }

        // The wait ends and a second track wants her too: neither mails her.
        await w.TrackAsync(NurtureWorld.Track("Second inquiries", inquiries: true));
        w.App.Clock.Advance(TimeSpan.FromDays(10));
        var run = await w.Runner.RunOnceAsync(Ct);
        Assert.Equal((0, 0, 0), (run.Enrolled, run.Queued, run.Sent));
        Assert.Single(w.Sink.Messages);
        var list = await w.App.GetAsync<List<SuppressionDto>>("/api/nurture/suppressions");
        Assert.Equal("bea@fit.test", Assert.Single(list).Email);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task No_email_unsubscribed_suppressed_bounced_or_withdrawn_consent_is_never_sent_to(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        foreach (var who in new[] { "ok", "gone", "unsub", "noconsent", "bounce" }) await w.TouchAsync($"{who}@fit.test", "WebVisit");
        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            var blank = new Person { Email = "", FirstName = "No", LastName = "Address", CreatedAt = db.UtcNow };
            Transitions.Enter(db, blank, LifecycleStage.Inquiry, db.UtcNow, EntrySource.Api, "test");
            db.People.Add(blank);
            await db.SaveChangesAsync(Ct);
        }
        Assert.True((await w.App.Client.PostAsync("/api/nurture/suppressions", Json(new { email = "gone@fit.test", note = "asked by phone" }), Ct)).IsSuccessStatusCode);
        Assert.True((await w.App.Client.PostAsync("/api/nurture/bounces", Json(new { email = "bounce@fit.test", kind = "hard" }), Ct)).IsSuccessStatusCode);
        Assert.True((await w.App.Client.PutAsync($"/api/nurture/consent/{await w.Team.PersonIdAsync("noconsent@fit.test")}",
            Json(new { state = "Withdrawn", source = "preference centre" }), Ct)).IsSuccessStatusCode);
        var links = await w.App.App.Services.GetRequiredService<NurtureKeys>().LinksAsync(w.App.Db.Open(w.App.Clock), Ct);
        Assert.Equal(HttpStatusCode.OK, (await w.App.Anonymous().PostAsync($"/n/u/{links.UnsubscribeToken(await w.Team.PersonIdAsync("unsub@fit.test"))}", null, Ct)).StatusCode);

        await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));
        var run = await w.Runner.RunOnceAsync(Ct);
        Assert.Equal((1, 1), (run.Enrolled, run.Sent));
        Assert.Equal(["ok@fit.test"], w.Sink.Messages.SelectMany(m => m.Recipients));
        var bad = await w.App.Client.PostAsync("/api/nurture/bounces", Json(new { email = "x@fit.test", kind = "soft" }), Ct);
        Assert.Contains("kind", (await Problem.ReadAsync(bad, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_recipient_the_server_refuses_is_a_hard_bounce_that_suppresses_the_address(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        w.Sink.RejectRecipient = to => to.StartsWith("left@", StringComparison.Ordinal);
        await w.TouchAsync("left@fit.test", "WebVisit");
        await w.TouchAsync("stay@fit.test", "WebVisit");
        await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));
        Assert.Equal(1, (await w.Runner.RunOnceAsync(Ct)).Sent);
        await using var db = w.App.Db.Open(w.App.Clock);
        Assert.Equal(SuppressionReason.HardBounce, (await db.EmailSuppressions.SingleAsync(s => s.Email == "left@fit.test", Ct)).Reason);
        var e = await db.NurtureEnrolments.SingleAsync(x => x.PersonId == db.People.Single(p => p.Email == "left@fit.test").Id, Ct);
        Assert.Equal(ExitReasons.Bounced, e.ExitReason);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task With_smtp_down_sends_stay_queued_and_go_out_once_when_it_returns(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        var port = w.Sink.Port;
        await w.Sink.DisposeAsync(); // the relay is down
        foreach (var i in Enumerable.Range(1, 5)) await w.TouchAsync($"p{i}@fit.test", "WebVisit");
        await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));

        var down = await w.Runner.RunOnceAsync(Ct);
        Assert.Equal((5, 0), (down.Queued, down.Sent));
        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            var rows = await db.NurtureSends.ToListAsync(Ct);
            Assert.All(rows, r => Assert.Equal(SendStatus.Queued, r.Status));
            Assert.Contains(rows, r => r.LastError is not null && r.Attempts == 1);
        }
        Assert.Equal(0, (await w.Runner.RunOnceAsync(Ct)).Sent); // backoff: not due yet

        await using var back = SmtpSink.StartOn(port);
        w.App.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(5, (await w.Runner.RunOnceAsync(Ct)).Sent);
        w.App.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await w.Runner.RunOnceAsync(Ct)).Sent);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"p{i}@fit.test").Order(), back.Messages.SelectMany(m => m.Recipients).Order());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_template_with_an_unknown_field_is_a_400_naming_it_and_nothing_is_saved(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        var res = await w.App.Client.PostAsync("/api/nurture/tracks", Json(NurtureWorld.Track("Broken", body: "Hi {{ frist_name }}")), Ct);
        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Contains("'frist_name'", Assert.Single(problem.Errors["content.steps[0].variants[0].body"]));
        Assert.Empty(await w.App.GetAsync<List<TrackSummaryDto>>("/api/nurture/tracks"));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_preview_shows_the_message_as_a_person_with_their_values_escaped(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        await w.App.PostAsync<object>("/api/touches:batch", new
        {
            touches = new[] { new { eventId = "x1", email = "eve@fit.test", type = "WebVisit", channel = "Organic", occurredAt = w.App.Clock.GetUtcNow().UtcDateTime, firstName = "<b>Eve</b>" } },
        });
        var id = await w.TrackAsync(NurtureWorld.Track("Preview"));
        var p = await w.App.PostAsync<PreviewDto>($"/api/nurture/tracks/{id}/preview", new { step = "m1", variant = "B", personId = await w.Team.PersonIdAsync("eve@fit.test") });
        Assert.Equal("A thought for next quarter", p.Subject);
        Assert.Contains("Hi &lt;b&gt;Eve&lt;/b&gt;,", p.Html);
        Assert.Contains("Hi <b>Eve</b>,", p.Text);
        Assert.Equal([NurtureWorld.Pricing], p.Links);
        var wrong = await w.App.Client.PostAsync($"/api/nurture/tracks/{id}/preview", Json(new { step = "w1", personId = 1 }), Ct);
        Assert.Contains("step", (await Problem.ReadAsync(wrong, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body, TestApp.Json), System.Text.Encoding.UTF8, "application/json");
}
