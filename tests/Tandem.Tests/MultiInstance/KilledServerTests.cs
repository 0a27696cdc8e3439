using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Tests.MultiInstance;

/// <summary>
/// A real <c>tandem serve</c> process killed with SIGKILL in the middle of ingestion. Nothing acknowledged is lost, no batch
/// is half stored, the feed's head names its last entry, and the restarted server, after following more writes, answers
/// every report exactly as a server built cold from the same database does.
/// </summary>
public class KilledServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int Batch = 20;

    private static readonly string[] Reports =
    [
        "/api/insight/funnel?by=channel", "/api/insight/funnel?by=persona&stage=MQL", "/api/insight/flow?by=channel&interval=month",
        "/api/insight/deals?by=team&basis=closed", "/api/insight/reasons?by=channel", "/api/insight/channels?by=channel",
        "/api/insight/attribution?model=w-shaped",
    ];

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task After_a_kill_during_ingestion_the_restarted_server_reports_what_a_cold_rebuild_reports(string provider)
    {
        await using var store = await TestDb.CreateAsync(provider);
        string[] where = store.Storage.Provider == DbProvider.Sqlite
            ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(store.Storage.ConnectionString).DataSource)!]
            : ["--postgres", store.Storage.ConnectionString];
        await RunAsync(["demo", "--people", "1500", .. where]);
        var key = (await RunAsync(["keys", "create", "--name", "crash-test", "--scope", "Admin", .. where]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();

        List<string> emails;
        await using (var db = store.Open()) emails = await db.People.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Email!).Take(500).ToListAsync(Ct);
        object Touches(int n) => new
        {
            touches = Enumerable.Range(0, Batch).Select(i => new
            {
                eventId = $"crash-{n}-{i}", email = i % 4 == 0 ? $"new{n}-{i}@crash.example" : emails[(n * Batch + i) % emails.Count],
                type = i % 5 == 0 ? "DemoRequest" : "PricingPageVisit", channel = "Organic",
                occurredAt = DateTime.UtcNow.AddMinutes(-i).ToString("O"),
            }),
        };

        var acked = new List<int>();
        var sent = 0;
        await using (var first = await Server.StartAsync(where, key))
        {
            // Three senders keep batches in flight; the kill lands while some are half way through.
            using var stop = new CancellationTokenSource();
            async Task SendAsync()
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sent);
                    try
                    {
                        using var res = await first.Http.PostAsJsonAsync("/api/touches:batch", Touches(n), stop.Token);
                        if (res.IsSuccessStatusCode) lock (acked) acked.Add(n);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { return; }
                }
            }
            var senders = Enumerable.Range(0, 3).Select(_ => Task.Run(SendAsync, Ct)).ToList();
            while (Volatile.Read(ref sent) < 30) await Task.Delay(20, Ct);
            first.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        Assert.NotEmpty(acked);

        // Batches mix demo people and new ones, so they score, qualify and create people. Every batch is stored whole or not at all; every acknowledged one is stored.
        await using (var db = store.Open())
        {
            var stored = (await db.Touches.AsNoTracking().Where(t => t.EventId.StartsWith("crash-")).Select(t => t.EventId).ToListAsync(Ct))
                .GroupBy(id => int.Parse(id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(stored, b => Assert.Equal(Batch, b.Value));
            Assert.All(acked, n => Assert.True(stored.ContainsKey(n), $"batch {n} was acknowledged but is not stored"));
            var head = await db.Set<Tandem.Data.Feed.ChangeFeedHead>().AsNoTracking().SingleAsync(Ct);
            Assert.Equal(await db.ChangeFeed.MaxAsync(e => e.Seq, Ct), head.Seq);
        }

        await using var restarted = await Server.StartAsync(where, key);
        foreach (var url in Reports) (await restarted.Http.GetAsync(url, Ct)).EnsureSuccessStatusCode(); // built: now it follows
        for (var n = 1_000; n < 1_005; n++)
            (await restarted.Http.PostAsJsonAsync("/api/touches:batch", Touches(n), Ct)).EnsureSuccessStatusCode();
        await using var cold = await Server.StartAsync(where, key);
        // asOf says when each server last checked the feed, so it differs; everything counted must not.
        static string Counted(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"asOf\":\"[^\"]*\"", "");
        foreach (var url in Reports)
            Assert.Equal(Counted(await cold.Http.GetStringAsync(url, Ct)), Counted(await restarted.Http.GetStringAsync(url, Ct)));
    }

    private static string Exe => Path.Combine(AppContext.BaseDirectory, "tandem");

    private static async Task<string> RunAsync(string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(Exe, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var (output, errors) = (p.StandardOutput.ReadToEndAsync(Ct), p.StandardError.ReadToEndAsync(Ct));
        await p.WaitForExitAsync(Ct);
        Assert.True(p.ExitCode == 0, $"tandem {args[0]} exited with {p.ExitCode}: {await errors}{await output}");
        return await output;
    }

    /// <summary>One <c>tandem serve</c> process on a free port, with a client holding the API key.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;
        public HttpClient Http { get; }

        private Server(Process process, HttpClient http) => (_process, Http) = (process, http);

        public static async Task<Server> StartAsync(string[] where, string key)
        {
            int port;
            using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
            var p = Process.Start(new ProcessStartInfo(Exe, ["serve", .. where, "--urls", $"http://127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var server = new Server(p, http);
            for (var waited = Stopwatch.StartNew(); ; await Task.Delay(200, Ct))
            {
                Assert.False(p.HasExited, $"tandem serve exited with {(p.HasExited ? p.ExitCode : 0)}");
                try { if ((await http.GetAsync("/healthz", Ct)).IsSuccessStatusCode) return server; }
                catch (HttpRequestException) { } // not listening yet
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "tandem serve did not answer /healthz in 2 minutes");
            }
        }

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public void Kill() => _process.Kill();

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited) { _process.Kill(); await _process.WaitForExitAsync(); }
            _process.Dispose();
        }
    }
}
