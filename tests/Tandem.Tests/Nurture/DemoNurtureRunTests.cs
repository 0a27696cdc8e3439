using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Demo;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

/// <summary>
/// The demo is not just tracks on a page: started as `serve --demo` starts it (<see cref="Cli.DemoOnStart"/> on an empty database),
/// the nurture job mails its people at the SMTP sink, a followed click becomes a touch that moves the score, and after the waits the
/// tracks run to their end.
/// </summary>
public class DemoNurtureRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_demo_tracks_send_at_the_sink_a_click_moves_the_score_and_enrolments_finish(string provider)
    {
        await using var sink = SmtpSink.Start();
        await using var app = await TestApp.StartAsync(provider, configure: b => b.Configuration.AddInMemoryCollection(NurtureWorld.Settings(sink)));
        await Cli.DemoOnStart.RunAsync(app.App.Services, Ct, new DemoOptions(600));
        var runner = app.App.Services.GetRequiredService<NurtureRunner>();

        var first = await runner.RunOnceAsync(Ct);
        Assert.True(first.Enrolled > 0, "nobody in the demo entered a track");
        Assert.True(first.Sent > 0, "the demo's first pass sent nothing");
        Assert.Equal(first.Sent, sink.Messages.Count);
        Assert.Equal(sink.Messages.Count, sink.Messages.Select(m => m.Recipients.Single()).Distinct().Count()); // one first step each

        // Every active demo track mailed someone.
        await using (var db = app.Db.Open(app.Clock))
        {
            var active = await db.NurtureTracks.AsNoTracking().Where(t => t.Status == TrackStatus.Active).Select(t => t.Id).ToListAsync(Ct);
            var mailed = await db.NurtureSends.AsNoTracking().Where(s => s.Status == SendStatus.Sent).Select(s => s.TrackId).Distinct().ToListAsync(Ct);
            Assert.Equal(active.Order(), mailed.Order());
        }

        // A person follows the link in their message: redirected to the page, an EmailClick touch, a higher score.
        var mail = sink.Messages.First(m => NurtureWorld.ClickPath(m).Length > 0);
        var email = mail.Recipients.Single();
        int personId, clicksBefore;
        double before;
        await using (var db = app.Db.Open(app.Clock))
        {
            personId = await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync(Ct);
            // Engagement decays: what the click must beat is the stored score decayed to now, not the stored figure.
            var stored = await db.LeadScores.AsNoTracking().SingleAsync(s => s.PersonId == personId, Ct);
            var scoring = (await Tandem.Features.Agreement.ActiveDefinition.LoadAsync(db, Ct))!.Scoring;
            before = stored.Score * scoring.Decay(app.Clock.GetUtcNow().UtcDateTime.Ticks - stored.ScoredAt.Ticks);
            clicksBefore = await db.Touches.CountAsync(t => t.PersonId == personId && t.Type == TouchType.EmailClick, Ct);
        }
        var path = NurtureWorld.ClickPath(mail);
        var click = await NurtureWorld.Click(app, path);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.StartsWith("https://example.com/", click.Headers.Location!.OriginalString);
        await using (var db = app.Db.Open(app.Clock))
        {
            Assert.Equal(clicksBefore + 1, await db.Touches.CountAsync(t => t.PersonId == personId && t.Type == TouchType.EmailClick, Ct));
            Assert.True(await db.LeadScores.Where(s => s.PersonId == personId).Select(s => s.Score).SingleAsync(Ct) > before, "the click did not move the score");
            Assert.NotNull((await db.NurtureSends.SingleAsync(s => s.Email == email, Ct)).ClickedAt);
        }

        // Weeks pass: waits end, the later steps go out, and enrolments reach the end of their track.
        for (var week = 0; week < 6; week++)
        {
            app.Clock.Advance(TimeSpan.FromDays(7));
            await runner.RunOnceAsync(Ct);
        }
        await using (var db = app.Db.Open(app.Clock))
        {
            Assert.True(await db.NurtureEnrolments.CountAsync(e => e.Status == EnrolmentStatus.Completed, Ct) > 0, "no demo enrolment finished its track");
            var steps = await db.NurtureSends.AsNoTracking().Where(s => s.Status == SendStatus.Sent).Select(s => new { s.PersonId, s.TrackId, s.StepKey }).ToListAsync(Ct);
            Assert.Contains(steps, s => s.StepKey != "m1"); // later steps were sent, not just the first
            Assert.Equal(steps.Count, steps.Distinct().Count()); // nobody got a step twice
            // Requalified people are routed to reps, who are told by email too: count the nurture messages (they carry List-Unsubscribe).
            Assert.Equal(steps.Count, sink.Messages.Count(m => m.Message.Headers.Contains("List-Unsubscribe")));
        }
    }
}
