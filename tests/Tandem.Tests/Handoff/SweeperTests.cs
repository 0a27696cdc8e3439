using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Features.Handoffs;
using Tandem.Tests.Notifications;

namespace Tandem.Tests.Handoff;

/// <summary>Breach detection across restarts: recorded once, told once, then escalated once.</summary>
public class SweeperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_deadline_passed_while_the_server_was_down_gives_exactly_one_breach_and_one_notification(string provider)
    {
        var clock = new FakeTimeProvider(HandoffWorld.Monday9);
        var store = await TestDb.CreateAsync(provider, clock);
        try
        {
            int leadId, rep, manager;
            var w = await HandoffWorld.StartOnAsync(store, clock);
            await using (w.App)
            {
                await WebhookDeliveryTests.AddEndpointAsync(w.App, "http://127.0.0.1:9/hook", "sla.*");
                await w.AccountAsync("late.com", ownerId: w.Reps[0]);
                var lead = await w.MqlAsync("ann@late.com");
                (leadId, rep, manager) = (lead.Id, w.Reps[0], w.ManagerId);
                Assert.Equal(new DateTime(2026, 3, 2, 13, 0, 0, DateTimeKind.Utc), lead.FirstTouchDue);
            }

            clock.Advance(TimeSpan.FromHours(6)); // down from 09:00 to 15:00; first touch was due at 13:00
            await using var sink = SmtpSink.Start();
            var smtp = HandoffWorld.Smtp(sink);
            await using (var app = await TestApp.StartOnAsync(store, clock, configure: HandoffWorld.Settings(new(smtp) { ["Sla:RunInBackground"] = "true" })))
            {
                var mail = await sink.WaitForMessageAsync(); // the pass at start found it
                Assert.Equal([$"u{rep}@acme.test"], mail.Recipients);
                Assert.Equal("SLA breached: first touch for ann@late.com", mail.Message.Subject);
                var again = await app.App.Services.GetRequiredService<SlaSweeper>().RunOnceAsync(Ct);
                Assert.Equal((0, 0), (again.Breaches, again.Notified));
            }

            // Another restart: nothing new is recorded or sent; four hours on, the manager hears of it, once.
            await using (var app = await TestApp.StartOnAsync(store, clock, configure: HandoffWorld.Settings(smtp)))
            {
                var sweeper = app.App.Services.GetRequiredService<SlaSweeper>();
                Assert.Equal(new SweepResult(0, 0, 0, 0), await sweeper.RunOnceAsync(Ct));
                clock.Advance(TimeSpan.FromHours(4));
                var later = await sweeper.RunOnceAsync(Ct);
                Assert.Equal(1, later.Escalated);
                var escalation = await sink.WaitForMessageAsync();
                Assert.Equal([$"u{manager}@acme.test"], escalation.Recipients);
                Assert.StartsWith("Escalated:", escalation.Message.Subject);
                Assert.Equal(0, (await sweeper.RunOnceAsync(Ct)).Escalated);
                var detail = await app.GetAsync<HandoffDetailDto>($"/api/handoffs/{leadId}");
                Assert.Equal(SlaStatus.Breached, detail.Handoff.Status);
                Assert.Equal(SlaDeadline.FirstTouch, Assert.Single(detail.Breaches).Deadline);
            }

            Assert.Equal(2, sink.Messages.Count);
            await using var db = store.Open(clock);
            var breach = await db.SlaBreaches.SingleAsync(Ct);
            Assert.Equal((leadId, manager), (breach.HandoffId, breach.EscalatedTo));
            Assert.Equal(["sla.breached", "sla.escalated"], await db.WebhookDeliveries.OrderBy(d => d.Id).Select(d => d.EventType).ToListAsync(Ct));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }
}
