using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Features.Nurture;
using Tandem.Tests.Handoff;
using Tandem.Tests.MultiInstance;

namespace Tandem.Tests.NurtureTracks;

/// <summary>At most one send per person and step: two hosts racing on one database, and the state a killed sender leaves behind.</summary>
public class ExactlyOnceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Two_hosts_running_nurture_at_once_mail_each_person_each_step_exactly_once(string provider)
    {
        const int People = 60;
        await TwoHostsTests.OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var sink = SmtpSink.Start();
            var settings = NurtureWorld.Settings(sink, new() { ["Nurture:BatchSize"] = "7" });
            var team = await HandoffWorld.StartOnAsync(store, clock, settings);
            await using var a = team.App;
            await using var b = await TestApp.StartOnAsync(store, clock, configure: HandoffWorld.Settings(settings));
            await a.PostAsync<object>("/api/touches:batch", new
            {
                touches = Enumerable.Range(0, People).Select(i => new { eventId = $"two-{i}", email = $"p{i}@fit.test", type = "WebVisit", channel = "Organic", occurredAt = clock.GetUtcNow().UtcDateTime }),
            });
            await a.PostAsync<TrackDto>("/api/nurture/tracks", NurtureWorld.Track("Not yet ready", inquiries: true));

            async Task<int> Race()
            {
                var runs = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => new[] { a, b })
                    .Select(app => Task.Run(() => app.App.Services.GetRequiredService<NurtureRunner>().RunOnceAsync(Ct), Ct)));
                return runs.Sum(r => r.Sent);
            }
            Assert.Equal(People, await Race());
            clock.Advance(TimeSpan.FromDays(7)); // past the three-business-day wait: step 2
            Assert.Equal(People, await Race());

            var received = sink.Messages.Select(m => (m.Recipients.Single(), m.Message.Subject == "One more idea" ? "m2" : "m1")).ToList();
            Assert.Equal(2 * People, received.Count);
            Assert.Equal(received.Count, received.Distinct().Count());
            await using var db = store.Open(clock);
            Assert.Equal(2 * People, await db.NurtureSends.CountAsync(s => s.Status == SendStatus.Sent, Ct));
            Assert.Equal(People, await db.NurtureEnrolments.CountAsync(e => e.Status == EnrolmentStatus.Completed, Ct));
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task After_a_sender_died_mid_batch_the_message_in_flight_is_not_sent_again_and_the_untried_ones_go_out_once(string provider)
    {
        await using var w = await NurtureWorld.StartAsync(provider);
        await w.Sink.DisposeAsync();
        foreach (var i in Enumerable.Range(1, 3)) await w.TouchAsync($"k{i}@fit.test", "WebVisit");
        await w.TrackAsync(NurtureWorld.Track("Not yet ready", inquiries: true));
        await w.Runner.RunOnceAsync(Ct); // queued; the relay is down so nothing went
        var lease = w.App.Clock.GetUtcNow().UtcDateTime.AddMinutes(2);
        await using (var db = w.App.Db.Open(w.App.Clock))
        {
            // What kill -9 leaves: k1 handed to SMTP (Sending), k2 claimed but not tried yet, k3 still queued; leases running.
            var rows = await db.NurtureSends.OrderBy(s => s.Email).ToListAsync(Ct);
            (rows[0].Status, rows[0].NextAttemptAt) = (SendStatus.Sending, lease);
            (rows[1].Status, rows[1].NextAttemptAt) = (SendStatus.Claimed, lease);
            rows[2].NextAttemptAt = w.App.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(Ct);
        }
        await using var back = SmtpSink.StartOn(w.Sink.Port);
        Assert.Equal(1, (await w.Runner.RunOnceAsync(Ct)).Sent); // leases still running: only k3
        w.App.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, (await w.Runner.RunOnceAsync(Ct)).Sent); // k2 back in the queue; k1 may have gone, so not again
        Assert.Equal(["k2@fit.test", "k3@fit.test"], back.Messages.SelectMany(m => m.Recipients).Order());
        await using var check = w.App.Db.Open(w.App.Clock);
        Assert.Equal(SendStatus.Uncertain, (await check.NurtureSends.SingleAsync(s => s.Email == "k1@fit.test", Ct)).Status);
    }
}
