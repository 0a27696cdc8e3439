using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Nurture;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.NurtureTracks;

/// <summary>
/// A real <c>tandem serve</c> process sending a nurture batch through a slow SMTP relay is killed with SIGKILL part way through,
/// then started again. Every enrolled person gets the step exactly once: the messages the relay received before the kill (the one
/// whose answer was pending included) are not sent again, and the rest of the batch goes out after the restart.
/// </summary>
public class KilledSenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int People = 50;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_sender_killed_mid_batch_mails_every_enrolled_person_exactly_once_after_restart(string provider)
    {
        await using var store = await TestDb.CreateAsync(provider);
        await using var sink = SmtpSink.Start();
        sink.ReplyDelay = TimeSpan.FromMilliseconds(250);

        // The people and the track, written through the app in this process at the real time (the child process uses the real clock).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var seed = await HandoffWorld.StartOnAsync(store, clock, NurtureWorld.Settings(sink));
        await using (seed.App)
        {
            await seed.App.PostAsync<object>("/api/touches:batch", new
            {
                touches = Enumerable.Range(0, People).Select(i => new { eventId = $"kill-{i}", email = $"k{i}@fit.test", type = "WebVisit", channel = "Organic", occurredAt = clock.GetUtcNow().UtcDateTime }),
            });
            await seed.App.PostAsync<TrackDto>("/api/nurture/tracks", NurtureWorld.Track("Not yet ready", inquiries: true));
        }
        var expected = Enumerable.Range(0, People).Select(i => $"k{i}@fit.test").ToHashSet();
        List<string> Received() => [.. sink.Messages.Where(m => m.Message.Headers.Contains("List-Unsubscribe")).Select(m => m.Recipients.Single())];

        await using (var first = await Serve.StartAsync(store, sink))
        {
            // Batches of 20: the kill lands in the second batch, while the relay holds its answer to the 27th message.
            while (Received().Count < 27)
            {
                await sink.WaitForMessageAsync(TimeSpan.FromMinutes(2));
                Assert.False(first.HasExited, "tandem serve stopped before the kill");
            }
            first.Kill();
        }
        var beforeRestart = Received();
        Assert.InRange(beforeRestart.Count, 27, People - 1);

        await using (var second = await Serve.StartAsync(store, sink))
        {
            // The lease (5 s here) must run out before the killed process's rows are settled; then the rest goes out.
            for (var waited = Stopwatch.StartNew(); Received().Distinct().Count() < People; await Task.Delay(200, Ct))
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"after the restart only {Received().Distinct().Count()} of {People} were mailed");
            await Task.Delay(TimeSpan.FromSeconds(3), Ct); // a few more passes: nothing is sent twice late either
        }

        var received = Received();
        Assert.Equal(expected.Order(), received.Order()); // everyone, once
        await using var db = store.Open();
        var sends = await db.NurtureSends.AsNoTracking().Where(s => s.StepKey == "m1").ToListAsync(Ct);
        Assert.Equal(People, sends.Count);
        // The messages whose acceptance the killed process never recorded are Uncertain: the relay did have each of them.
        var uncertain = sends.Where(s => s.Status == SendStatus.Uncertain).Select(s => s.Email).ToList();
        Assert.NotEmpty(uncertain);
        Assert.All(uncertain, e => Assert.Contains(e, beforeRestart));
        Assert.All(sends, s => Assert.Contains(s.Status, new[] { SendStatus.Sent, SendStatus.Uncertain }));
    }

    /// <summary>One <c>tandem serve</c> child process on a free port, mailing through the sink, with short leases and polls.</summary>
    private sealed class Serve : IAsyncDisposable
    {
        private readonly Process _process;
        private Serve(Process p) => _process = p;
        public bool HasExited => _process.HasExited;

        public static async Task<Serve> StartAsync(TestDb store, SmtpSink sink)
        {
            string[] where = store.Storage.Provider == DbProvider.Sqlite
                ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(store.Storage.ConnectionString).DataSource)!]
                : ["--postgres", store.Storage.ConnectionString];
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
            var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "tandem"), ["serve", .. where, "--urls", $"http://127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            foreach (var (k, v) in new Dictionary<string, string>
                     {
                         ["SMTP__HOST"] = sink.Host, ["SMTP__PORT"] = sink.Port.ToString(CultureInfo.InvariantCulture), ["SMTP__FROM"] = "tandem@acme.test",
                         ["SMTP__TLS"] = "None", ["NURTURE__BATCHSIZE"] = "20", ["NURTURE__LEASE"] = "00:00:05", ["NURTURE__POLLINTERVAL"] = "00:00:01",
                         ["NURTURE__PUBLICURL"] = "https://tandem.test", ["SLA__RUNINBACKGROUND"] = "false", ["CADENCE__RUNINBACKGROUND"] = "false",
                     })
                info.Environment["TANDEM_" + k] = v;
            var p = Process.Start(info)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            var serve = new Serve(p);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(200, Ct))
            {
                Assert.False(p.HasExited, $"tandem serve exited with {(p.HasExited ? p.ExitCode : 0)}");
                try { if ((await http.GetAsync("/healthz", Ct)).IsSuccessStatusCode) return serve; }
                catch (HttpRequestException) { } // not listening yet
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "tandem serve did not answer /healthz in 2 minutes");
            }
        }

        /// <summary>SIGKILL: no shutdown code runs, the SMTP conversation is cut where it is.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) { _process.Kill(); await _process.WaitForExitAsync(); }
            _process.Dispose();
        }
    }
}
