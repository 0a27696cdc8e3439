using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Handoffs;
using Tandem.Features.Opportunities;
using Tandem.Features.Webhooks;
using Tandem.Tests.Handoff;
using Tandem.Tests.Notifications;

namespace Tandem.Tests.MultiInstance;

/// <summary>
/// Two app hosts on one database, as two `tandem serve` processes behind a load balancer: every background job claims its
/// work through the database, so passes running at the same moment on both produce each effect exactly once, and work
/// claimed by a host that died is picked up by the other once its lease runs out (docs/guide/deploy.md).
/// </summary>
public class TwoHostsTests
{
    private const int Rounds = 20;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every pass <see cref="Rounds"/> times on each host, all started at once.</summary>
    private static Task<T[]> RaceAsync<T>(TestApp a, TestApp b, Func<IServiceProvider, Task<T>> pass) =>
        Task.WhenAll(Enumerable.Range(0, Rounds).SelectMany(_ => new[]
        {
            Task.Run(() => pass(a.App.Services), Ct), Task.Run(() => pass(b.App.Services), Ct),
        }));

    private static Task<SweepResult> Sweep(IServiceProvider s) => s.GetRequiredService<SlaSweeper>().RunOnceAsync(Ct);

    private static Task<int> Deliver(IServiceProvider s) => s.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(Ct);

    /// <summary>Runs <paramref name="test"/> on a fresh database that outlives the hosts it starts on it, then drops it.</summary>
    internal static async Task OnOneDatabaseAsync(string provider, Func<TestDb, FakeTimeProvider, Task> test)
    {
        var clock = new FakeTimeProvider(HandoffWorld.Monday9);
        var store = await TestDb.CreateAsync(provider, clock);
        try
        {
            await test(store, clock);
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    private static SweepResult Sum(IEnumerable<SweepResult> rs) => rs.Aggregate(new SweepResult(0, 0, 0, 0),
        (x, r) => new SweepResult(x.Breaches + r.Breaches, x.Notified + r.Notified, x.Escalated + r.Escalated, x.OwnersTold + r.OwnersTold));

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Sweeping_on_both_hosts_at_once_records_tells_and_escalates_each_breach_exactly_once(string provider)
    {
        const int Leads = 5; // plus one on a known opportunity
        await OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var sink = SmtpSink.Start();
            await using var receiver = await WebhookReceiver.StartAsync();
            var smtp = HandoffWorld.Smtp(sink);
            var w = await HandoffWorld.StartOnAsync(store, clock, smtp);
            await using var a = w.App;
            await using var b = await TestApp.StartOnAsync(store, clock, configure: HandoffWorld.Settings(smtp));
            await WebhookDeliveryTests.AddEndpointAsync(a, receiver.Url);

            var deal = await w.AccountAsync("deal.com", ownerId: w.Reps[0]);
            await using (var db = store.Open(clock))
            {
                db.Opportunities.Add(new Opportunity { Name = "Deal – New business", AccountId = deal, OwnerId = w.Reps[1], SalesStage = "Proposal", AmountMinor = 1_000_000 });
                await db.SaveChangesAsync(Ct);
            }
            Assert.True((await w.MqlAsync("cfo@deal.com")).KnownOpportunity);
            for (var i = 0; i < Leads; i++)
            {
                await w.AccountAsync($"late{i}.com");
                await w.MqlAsync($"ann@late{i}.com");
            }

            // 09:00 → 15:00: every first touch (due 13:00) has passed; the known opportunity's owner has not heard yet.
            clock.Advance(TimeSpan.FromHours(6));
            var first = Sum(await RaceAsync(a, b, Sweep));
            Assert.Equal(new SweepResult(Leads + 1, Leads + 1, 0, 1), first);

            // Four hours on, each breach goes to the manager, once.
            clock.Advance(TimeSpan.FromHours(4));
            var later = Sum(await RaceAsync(a, b, Sweep));
            Assert.Equal(new SweepResult(0, 0, Leads + 1, 0), later);

            await using (var db = store.Open(clock))
            {
                var breaches = await db.SlaBreaches.AsNoTracking().ToListAsync(Ct);
                Assert.Equal(Leads + 1, breaches.Count);
                Assert.All(breaches, x => Assert.Equal((SlaDeadline.FirstTouch, w.ManagerId), (x.Deadline, x.EscalatedTo)));
                var events = await db.WebhookDeliveries.AsNoTracking().GroupBy(d => d.EventType).Select(g => new { g.Key, N = g.Count() })
                    .ToDictionaryAsync(g => g.Key, g => g.N, Ct);
                Assert.Equal(new Dictionary<string, int> { ["lead.attached"] = 1, ["sla.breached"] = Leads + 1, ["sla.escalated"] = Leads + 1 }, events);
            }
            var mails = sink.Messages;
            Assert.Equal(1 + 2 * (Leads + 1), mails.Count);
            Assert.Equal(1, mails.Count(m => (m.Message.Subject ?? "").StartsWith("New lead on", StringComparison.Ordinal)));
            Assert.Equal(Leads + 1, mails.Count(m => (m.Message.Subject ?? "").StartsWith("SLA breached:", StringComparison.Ordinal)));
            Assert.Equal(Leads + 1, mails.Count(m => (m.Message.Subject ?? "").StartsWith("Escalated:", StringComparison.Ordinal)));
            Assert.Equal(mails.Count, mails.Select(m => m.Message.Subject).Distinct().Count()); // one lead each, so no subject twice

            // And the events they raised reach the receiver once each, with both dispatchers racing.
            Assert.Equal(1 + 2 * (Leads + 1), (await RaceAsync(a, b, Deliver)).Sum());
            Assert.Equal(1 + 2 * (Leads + 1), receiver.Requests.Select(r => r.Header("Tandem-Event-Id")).Distinct().Count());
            Assert.Equal(1 + 2 * (Leads + 1), receiver.Requests.Count);
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_sweep_that_dies_before_its_notice_is_saved_leaves_the_breach_for_the_other_host_to_tell(string provider)
    {
        await OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var sink = SmtpSink.Start();
            var smtp = HandoffWorld.Smtp(sink);
            var w = await HandoffWorld.StartOnAsync(store, clock, smtp);
            await using var survivor = w.App;
            var dies = new DiesAtOutboxWrite();
            await using var doomed = await TestApp.StartOnAsync(store, clock, configure: bld =>
            {
                HandoffWorld.Settings(smtp)(bld);
                bld.Services.ConfigureDbContext<SqliteTandemDb>(o => o.AddInterceptors(dies));
                bld.Services.ConfigureDbContext<PostgresTandemDb>(o => o.AddInterceptors(dies));
            });
            await WebhookDeliveryTests.AddEndpointAsync(survivor, "http://127.0.0.1:9/hook", "sla.*");
            await w.AccountAsync("late.com", ownerId: w.Reps[0]);
            await w.MqlAsync("ann@late.com");
            clock.Advance(TimeSpan.FromHours(6));

            // The doomed host records the breach, claims telling the rep, and dies while writing the webhook row.
            var died = await Assert.ThrowsAnyAsync<Exception>(() => Sweep(doomed.App.Services));
            Assert.Contains(DiesAtOutboxWrite.Message, died.ToString());
            await using (var db = store.Open(clock))
            {
                var breach = await db.SlaBreaches.AsNoTracking().SingleAsync(Ct);
                Assert.Null(breach.NotifiedAt); // the claim went down with the transaction
                Assert.Equal(0, await db.WebhookDeliveries.CountAsync(Ct));
            }
            Assert.Empty(sink.Messages);

            Assert.Equal(new SweepResult(0, 1, 0, 0), await Sweep(survivor.App.Services));
            Assert.Equal($"SLA breached: first touch for ann@late.com", (await sink.WaitForMessageAsync()).Message.Subject);
            Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweep(doomed.App.Services));
            Assert.Single(sink.Messages);
            await using (var db = store.Open(clock))
                Assert.Equal("sla.breached", (await db.WebhookDeliveries.AsNoTracking().SingleAsync(Ct)).EventType);
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Both_dispatchers_at_once_deliver_each_webhook_exactly_once(string provider)
    {
        const int Events = 30;
        await OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            await using var a = await TestApp.StartOnAsync(store, clock, configure: Webhooks(batchSize: 7));
            await using var b = await TestApp.StartOnAsync(store, clock, configure: Webhooks(batchSize: 7));
            await WebhookDeliveryTests.AddEndpointAsync(a, receiver.Url);
            for (var i = 0; i < Events; i++) Assert.Equal(1, await WebhookDeliveryTests.EnqueueAsync(a, "lead.accepted", new { personId = i }));

            var attempted = (await RaceAsync(a, b, Deliver)).Sum();

            Assert.Equal(Events, attempted);
            Assert.Equal(Events, receiver.Requests.Count);
            Assert.Equal(Events, receiver.Requests.Select(r => r.Header("Tandem-Delivery")).Distinct().Count());
            await using var db = store.Open(clock);
            var rows = await db.WebhookDeliveries.AsNoTracking().ToListAsync(Ct);
            Assert.Equal(Events, rows.Count);
            Assert.All(rows, d => Assert.Equal((DeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_delivery_claimed_by_a_host_that_died_is_sent_by_the_other_once_the_lease_runs_out(string provider)
    {
        await OnOneDatabaseAsync(provider, async (store, clock) =>
        {
            await using var receiver = await WebhookReceiver.StartAsync(Answer.Hangs, Answer.Ok);
            var a = await TestApp.StartOnAsync(store, clock, configure: Webhooks());
            await using var b = await TestApp.StartOnAsync(store, clock, configure: Webhooks());
            await WebhookDeliveryTests.AddEndpointAsync(a, receiver.Url);
            await WebhookDeliveryTests.EnqueueAsync(a, "lead.accepted", new { personId = 1 });

            // Host A claims the row and sends; the receiver hangs; A dies mid-request (its pass is cancelled, nothing recorded).
            using (var dies = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                var pass = a.App.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(dies.Token);
                await receiver.WaitForRequestAsync();
                await dies.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pass);
            }
            await a.DisposeAsync(); // the database outlives it

            Assert.Equal(0, await Deliver(b.App.Services)); // still leased to A: timeout (10 s) + 1 min margin
            clock.Advance(TimeSpan.FromSeconds(69));
            Assert.Equal(0, await Deliver(b.App.Services));
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, await Deliver(b.App.Services));

            Assert.Equal(2, receiver.Requests.Count);
            Assert.Equal(receiver.Requests[0].Header("Tandem-Event-Id"), receiver.Requests[1].Header("Tandem-Event-Id"));
            await using var db = store.Open(clock);
            var row = await db.WebhookDeliveries.AsNoTracking().SingleAsync(Ct);
            Assert.Equal((DeliveryStatus.Delivered, 1, 200), (row.Status, row.Attempts, row.LastStatusCode));
        });
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_host_that_stalls_past_its_lease_does_not_overwrite_the_delivery_the_other_host_made(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer.Hangs, Answer.Ok);
        await using var a = await WebhookDeliveryTests.StartAsync(provider); // owns the database
        await WebhookDeliveryTests.AddEndpointAsync(a, receiver.Url);
        await WebhookDeliveryTests.EnqueueAsync(a, "lead.accepted", new { personId = 1 });
        // Host B's clock runs 71 s ahead of A's: for B, A's lease (timeout 10 s + 1 min) has run out, while A still waits.
        var clockB = new FakeTimeProvider(a.Clock.GetUtcNow() + TimeSpan.FromSeconds(71));
        await using var b = await TestApp.StartOnAsync(a.Db, clockB, configure: Webhooks());

        var stalled = Deliver(a.App.Services);
        await receiver.WaitForRequestAsync();
        Assert.Equal(1, await Deliver(b.App.Services)); // B takes the row over and the receiver answers 200
        a.Clock.Advance(TimeSpan.FromSeconds(10)); // A's request times out now; its failure must not undo B's delivery
        await stalled.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        await using (var db = a.Db.Open(a.Clock))
        {
            var row = await db.WebhookDeliveries.AsNoTracking().SingleAsync(Ct);
            Assert.Equal((DeliveryStatus.Delivered, 1, 200, (string?)null), (row.Status, row.Attempts, row.LastStatusCode, row.LastError));
        }
        clockB.Advance(TimeSpan.FromHours(2));
        a.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await Deliver(a.App.Services) + await Deliver(b.App.Services));
        Assert.Equal(2, receiver.Requests.Count);
    }

    /// <summary>Webhook settings as in <see cref="WebhookDeliveryTests"/>; background loops off, the test drives each pass.</summary>
    private static Action<WebApplicationBuilder> Webhooks(int batchSize = 50) => bld => bld.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Webhooks:RunInBackground"] = "false", ["Sla:RunInBackground"] = "false", ["Webhooks:Timeout"] = "00:00:10",
        ["Webhooks:FirstRetryDelay"] = "00:00:30", ["Webhooks:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>The first write of webhook rows fails, as if the process were killed just before it: nothing after it commits.</summary>
    private sealed class DiesAtOutboxWrite : DbCommandInterceptor
    {
        public const string Message = "killed before the webhook rows were written";
        private int _armed = 1;

        private void Check(DbCommand command)
        {
            // SQLite quotes the table name, Npgsql leaves lower-case names bare.
            if (command.CommandText.Replace("\"", "", StringComparison.Ordinal).Contains("INSERT INTO webhook_deliveries", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _armed, 0) == 1)
                throw new InvalidOperationException(Message);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
