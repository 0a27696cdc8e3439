using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// `live --data DIR | --postgres CONNSTR [--seconds 180] [--rate 500] [--batch 50] [--in-flight 32] [--port N]`: the real `tandem serve`
/// in its own process while one client sends touches at a steady rate and another asks every Insight report in a loop.
/// What a report user sees while data streams in: latency per report, how fresh each answer is (its <c>asOf</c> against
/// the batches already acknowledged), the server's memory, and whether ingestion keeps its rate.
/// The database must already hold a demo (`tandem demo --data DIR --people N`); the run adds an API key and touches to it,
/// so point it at a copy you can spoil.
/// </summary>
internal static class LiveBench
{
    // The addresses of the server table in docs/benchmarks.md ("Insight"), without the drill-down (not a report).
    private static readonly string[] Reports =
    [
        "/api/insight/funnel?by=channel",
        "/api/insight/funnel?by=persona&stage=MQL&from=2025-01-01&to=2026-01-01",
        "/api/insight/flow?by=channel&interval=month",
        "/api/insight/deals?by=team&basis=closed",
        "/api/insight/reasons?by=channel",
        "/api/insight/channels?by=channel&from=2025-01-01&to=2026-01-01",
        "/api/insight/attribution?model=w-shaped",
        "/api/insight/attribution-models",
    ];

    // The what-if replays all history, so it is asked once per this many rounds of the reports, not every round.
    private const int WhatIfEvery = 5;
    private static readonly TouchType[] Types = Enum.GetValues<TouchType>();
    private static readonly Channel[] Channels = [.. Tandem.Features.Channels.ChannelSet.Default.All.Take(11).Select(c => c.Channel)]; // the eleven of the old enum, so data stays comparable
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Latencies and freshness of one address.</summary>
    private sealed class Series(string label)
    {
        public string Label { get; } = label;
        public double WarmupMs { get; set; }
        public double QuietMs { get; set; }
        public List<double> Ms { get; } = [];
        public List<double> LagMs { get; } = [];
        public int Stale { get; set; }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var data = InsightBench.ArgText(args, "--data");
        var postgres = InsightBench.ArgText(args, "--postgres");
        if ((data is null) == (postgres is null)) throw new ArgumentException("live needs --data DIR or --postgres CONNSTR (a database holding a demo)");
        string[] storage = data is not null ? ["--data", data] : ["--postgres", postgres!];
        var seconds = Int(args, "--seconds", 180);
        var rate = Int(args, "--rate", 500);
        var batch = Int(args, "--batch", 50);
        // Open loop: a batch leaves at its time even if earlier ones are unanswered, as independent senders would; the cap
        // only stops a stalled server from collecting thousands of open requests (--in-flight 1: one batch at a time).
        var inFlight = Int(args, "--in-flight", 32);
        var port = Int(args, "--port", FreePort());
        // The code under test moves fast; name it, so two runs' tables say whether they measured the same server.
        var code = await CliAsync("git", ["-C", InsightBench.FindRepo(), "log", "-1", "--format=%h"]);
        var dirty = await CliAsync("git", ["-C", InsightBench.FindRepo(), "status", "--porcelain", "--", "src"]);
        var where = (data is not null ? $"SQLite {data}" : "PostgreSQL") + $", src at {code.Trim()}{(dirty.Length > 0 ? " plus uncommitted changes" : "")}";
        if (rate * 60 / batch >= 600)
            Console.WriteLine($"  note: {rate * 60 / batch} batches a minute is at or above the server's ingest limit (600 requests a minute per key); it may answer 429");

        // The executable the bench build also built (the project reference), in the same configuration as this one.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var exe = Path.Combine(InsightBench.FindRepo(), "src", "Tandem", "bin", here.Parent!.Name, here.Name, "tandem");
        if (!File.Exists(exe)) throw new FileNotFoundException($"No {exe}: build src/Tandem in {here.Parent.Name} first.");

        // The key is created before the server starts: the CLI writes it straight into the database.
        var key = (await CliAsync(exe, ["keys", "create", "--name", $"live-bench-{Environment.ProcessId}", "--scope", "Admin", .. storage]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        var log = Path.Combine(Path.GetTempPath(), $"tandem-live-{Environment.ProcessId}.log");
        using var server = StartServer(exe, ["serve", .. storage, "--urls", $"http://127.0.0.1:{port}"], log);
        var memory = new Memory(server.Id);
        try
        {
            using var ingest = Client(port, key, TimeSpan.FromMinutes(5));
            using var reader = Client(port, key, TimeSpan.FromMinutes(30)); // the first report builds the facts: minutes at 1M people
            await WaitHealthyAsync(reader, server, log);
            var (people, emails) = await PeopleAsync(reader);
            var draft = await DraftAsync(reader);
            var rssStart = memory.Sample().Rss;
            Console.WriteLine($"  server pid {server.Id} up on port {port} ({where}, {people:N0} people, {emails.Count:N0} of their emails read); RSS {rssStart} MB; log {log}");

            // Warm-up: each address once, so the load phase measures steady state, not the first build and JIT.
            var series = Reports.Select(u => new Series($"`GET {u}`")).ToList();
            var whatIf = draft is { } n ? new Series($"`GET /api/definitions/{n}/whatif?months=12` (draft v{n}, rounds 1, {WhatIfEvery + 1}, {2 * WhatIfEvery + 1}…)") : null;
            var urls = series.Select((s, i) => (s, Reports[i])).ToList();
            if (whatIf is not null) urls.Add((whatIf, $"/api/definitions/{draft}/whatif?months=12"));
            var statuses = new ConcurrentDictionary<string, int>();
            foreach (var (s, url) in urls)
            {
                var sw = Stopwatch.StartNew();
                using var res = await reader.GetAsync(url);
                s.WarmupMs = sw.Elapsed.TotalMilliseconds;
                Console.WriteLine($"  warm-up {url}: {(int)res.StatusCode} in {s.WarmupMs:N0} ms");
                if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)res.StatusCode}: {await res.Content.ReadAsStringAsync()}");
            }
            var rssWarm = memory.Sample().Rss;

            // One clock for everything: the stopwatch, anchored once to UTC so times compare with the server's asOf.
            var clock = Stopwatch.StartNew();
            var anchor = DateTime.UtcNow;
            DateTime Now() => anchor + clock.Elapsed;
            var end = TimeSpan.FromSeconds(seconds);
            var acks = new List<DateTime>(); // acknowledge time of every batch answered 2xx
            var sampling = memory.RunAsync(end);
            var sender = new Sender(ingest, batch, rate, inFlight, emails, Now, acks, statuses);
            var sending = sender.RunAsync(clock, end);
            var asking = AskAllAsync(reader, urls, whatIf, clock, end, Now, acks, statuses);
            await Task.WhenAll(sending, asking, sampling);
            // After the load: each address twice more with nothing changing; the second answer is what a quiet server gives.
            foreach (var (s, url) in urls)
                for (var k = 0; k < 2; k++)
                {
                    var sw = Stopwatch.StartNew();
                    using var res = await reader.GetAsync(url);
                    s.QuietMs = sw.Elapsed.TotalMilliseconds;
                }
            // What one new batch costs the next report on a quiet server (the server must bring its facts up to date first).
            // Covered: the answer's asOf is at or after the batch's acknowledgement, so it includes the batch.
            var afterOne = new List<double>();
            var covered = 0;
            for (var k = 0; k < 3; k++)
            {
                await sender.SendOneAsync();
                var acked = Now();
                var sw = Stopwatch.StartNew();
                var body = await reader.GetStringAsync(Reports[0]);
                afterOne.Add(sw.Elapsed.TotalMilliseconds);
                if (AsOf(body) >= acked) covered++;
            }
            var hwm = memory.Sample().Hwm;
            Console.WriteLine();

            var md = Table(where, people, seconds, rate, batch, series, whatIf, draft, sender, statuses, afterOne, covered, inFlight, rssStart, rssWarm, memory.MaxRss, hwm, log);
            Console.WriteLine(md);
            var results = Path.Combine(InsightBench.FindRepo(), "bench", "results");
            Directory.CreateDirectory(results);
            await File.WriteAllTextAsync(Path.Combine(results, "live-latest.md"), md);
            Console.WriteLine($"Written to {Path.Combine(results, "live-latest.md")}");
            return 0;
        }
        finally
        {
            await StopAsync(server);
        }
    }

    /// <summary>The report client: every address in turn, back to back, until the end; the what-if every few rounds.</summary>
    private static async Task AskAllAsync(HttpClient http, List<(Series S, string Url)> urls, Series? whatIf, Stopwatch clock, TimeSpan end,
        Func<DateTime> now, List<DateTime> acks, ConcurrentDictionary<string, int> statuses)
    {
        for (var round = 1; clock.Elapsed < end; round++)
            foreach (var (s, url) in urls)
            {
                if (clock.Elapsed >= end) return;
                if (s == whatIf && (round - 1) % WhatIfEvery != 0) continue; // rounds 1, 6, 11…: at least once however slow
                var sent = now();
                var sw = Stopwatch.StartNew();
                string body;
                try
                {
                    using var res = await http.GetAsync(url);
                    body = await res.Content.ReadAsStringAsync();
                    s.Ms.Add(sw.Elapsed.TotalMilliseconds);
                    if (!res.IsSuccessStatusCode) { Count(statuses, $"GET {url.Split('?')[0]}", ((int)res.StatusCode).ToString(CultureInfo.InvariantCulture)); continue; }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Count(statuses, $"GET {url.Split('?')[0]}", e.GetType().Name);
                    continue;
                }
                if (AsOf(body) is not { } asOf) continue;
                s.LagMs.Add((sent - asOf).TotalMilliseconds);
                // Stale: a batch acknowledged more than a second before we asked, yet after the answer's asOf.
                DateTime newest;
                lock (acks) newest = acks.Where(a => a < sent.AddSeconds(-1)).DefaultIfEmpty(DateTime.MinValue).Max();
                if (newest > asOf) s.Stale++;
            }
    }

    /// <summary>The top-level asOf of a report (UTC), or null while the server does not report it.</summary>
    private static DateTime? AsOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("asOf", out var p)
            && p.ValueKind == JsonValueKind.String && p.TryGetDateTimeOffset(out var t)
            ? t.UtcDateTime : null;
    }

    /// <summary>The ingestion client: one batch every batch/rate seconds on a fixed schedule from the start, open loop.</summary>
    private sealed class Sender(HttpClient http, int batch, int rate, int inFlight, List<string> emails, Func<DateTime> now, List<DateTime> acks,
        ConcurrentDictionary<string, int> statuses)
    {
        private readonly Random random = new(42);
        private readonly string run = Guid.NewGuid().ToString("N")[..8]; // event ids and new emails unique per run, so reruns add rows
        private readonly object sums = new();
        private int probes;
        public int Scheduled { get; private set; }
        public int Sent { get; private set; }
        public int Acked, Touches, Created, Duplicates, PeopleCreated, ItemErrors, Mqls, InFlightMax;
        public double LateMaxMs { get; private set; }
        public List<double> Ms { get; } = [];

        public async Task RunAsync(Stopwatch clock, TimeSpan end)
        {
            var interval = TimeSpan.FromSeconds((double)batch / rate);
            using var gate = new SemaphoreSlim(inFlight);
            var open = new List<Task>();
            for (var i = 0; i * interval < end; i++)
            {
                var due = i * interval;
                Scheduled++;
                if (due - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
                await gate.WaitAsync();
                if (clock.Elapsed >= end) { gate.Release(); continue; } // held back by the cap until the load was over: not sent
                LateMaxMs = Math.Max(LateMaxMs, (clock.Elapsed - due).TotalMilliseconds);
                var body = Body(i);
                Sent++;
                open.Add(SendAsync(body).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
                lock (sums) InFlightMax = Math.Max(InFlightMax, inFlight - gate.CurrentCount);
            }
            await Task.WhenAll(open);
        }

        /// <summary>One batch outside the schedule (event ids after the scheduled ones), not counted in the load's figures.</summary>
        public Task SendOneAsync() => PostAsync(Body(Sent + ++probes));

        /// <summary>Four in five touches for people of the demo, one in five for a new email (which creates a person).</summary>
        private byte[] Body(int i)
        {
            var touches = new List<TouchInput>(batch);
            for (var j = 0; j < batch; j++)
            {
                var email = emails.Count > 0 && random.Next(5) != 0 ? emails[random.Next(emails.Count)] : $"live-{run}-{i}-{j}@newcomer{random.Next(1000)}.example";
                touches.Add(new TouchInput($"live-{run}-{i}-{j}", email, Types[random.Next(Types.Length)], Channels[random.Next(Channels.Length)], null, now()));
            }
            return JsonSerializer.SerializeToUtf8Bytes(new TouchBatch(touches), Json);
        }

        /// <summary>A scheduled batch: its acknowledge time and result count towards the load's figures.</summary>
        private async Task SendAsync(byte[] body)
        {
            var sw = Stopwatch.StartNew();
            var r = await PostAsync(body);
            var ack = now();
            lock (sums) Ms.Add(sw.Elapsed.TotalMilliseconds);
            if (r is null) return;
            lock (acks) acks.Add(ack);
            lock (sums)
            {
                Acked++;
                Touches += r.Received;
                Created += r.Created; Duplicates += r.Duplicates; PeopleCreated += r.PeopleCreated; ItemErrors += r.Errors.Count; Mqls += r.Mqls;
            }
        }

        /// <summary>The result, or null after counting the failure by status.</summary>
        private async Task<BatchResult?> PostAsync(byte[] body)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var res = await http.PostAsync("/api/touches:batch", content);
                var text = await res.Content.ReadAsStringAsync();
                if (res.IsSuccessStatusCode) return JsonSerializer.Deserialize<BatchResult>(text, Json)!;
                Count(statuses, "POST /api/touches:batch", ((int)res.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Count(statuses, "POST /api/touches:batch", e.GetType().Name);
            }
            return null;
        }
    }

    /// <summary>VmRSS and VmHWM of the server from /proc, sampled every second during the load.</summary>
    private sealed class Memory(int pid)
    {
        public long MaxRss { get; private set; }

        public (long Rss, long Hwm) Sample()
        {
            try
            {
                var lines = File.ReadAllLines($"/proc/{pid}/status");
                long Mb(string name) => long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1],
                    CultureInfo.InvariantCulture) / 1024;
                return (Mb("VmRSS:"), Mb("VmHWM:"));
            }
            catch (IOException) { return (0, 0); } // the server has exited; its failure shows in the answers
        }

        public async Task RunAsync(TimeSpan duration)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                MaxRss = Math.Max(MaxRss, Sample().Rss);
                await Task.Delay(1000);
            }
        }
    }

    private static string Table(string where, int people, int seconds, int rate, int batch, List<Series> series, Series? whatIf, int? draft,
        Sender sender, ConcurrentDictionary<string, int> statuses, List<double> afterOne, int covered, int inFlight, long rssStart, long rssWarm, long rssMax, long hwm, string log)
    {
        var md = new StringBuilder()
            .AppendLine($"Live: `tandem serve` on {where} ({people:N0} people before the run), {seconds} s of touches at {rate:N0}/s in batches of {batch} " +
                        $"(one POST every {1000.0 * batch / rate:0} ms) while every Insight report is asked in a loop; " +
                        $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}.")
            .AppendLine()
            .AppendLine("Warm-up: the first request of each before the load (the first builds the facts). Quiet: asked again after the load, " +
                        "nothing changing. The rest is during the load; lag = request sent − the answer's asOf (negative: the server caught up " +
                        "after the request arrived).")
            .AppendLine()
            .AppendLine("| report (during the load) | warm-up ms | quiet ms | requests | p50 ms | p95 ms | p99 ms | max ms | lag p50 ms | lag p95 ms | lag max ms | missing a batch acked > 1 s before |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in whatIf is null ? series : [.. series, whatIf])
        {
            var lat = s.Ms.Count == 0 ? "| 0 | | | | " : $"| {s.Ms.Count} | {P(s.Ms, 0.5):N0} | {P(s.Ms, 0.95):N0} | {P(s.Ms, 0.99):N0} | {s.Ms.Max():N0} ";
            var lag = s.LagMs.Count == 0 ? "| n/a | n/a | n/a | n/a |" : $"| {Ms(P(s.LagMs, 0.5))} | {Ms(P(s.LagMs, 0.95))} | {Ms(s.LagMs.Max())} | {s.Stale} |";
            md.AppendLine($"| {s.Label} | {s.WarmupMs:N0} | {s.QuietMs:N1} {lat}{lag}");
        }
        md.AppendLine();
        md.AppendLine($"After the load, one batch then `GET {Reports[0]}`, 3 times: median {P(afterOne, 0.5):N0} ms " +
                      $"(what one new batch costs the next report); {covered} of 3 answers covered the batch by their asOf.").AppendLine();
        if (series.All(s => s.LagMs.Count == 0)) md.AppendLine("Freshness: asOf not reported (no report answer carries a top-level `asOf`).").AppendLine();
        if (whatIf is null) md.AppendLine("What-if: skipped, no draft definition in the database (`tandem definition draft` makes one).").AppendLine();
        else md.AppendLine($"What-if: draft v{draft} against the active version.").AppendLine();

        md.AppendLine("| ingestion | |").AppendLine("|---|---:|")
            .AppendLine($"| batches due / sent / acknowledged (2xx) | {sender.Scheduled:N0} / {sender.Sent:N0} / {sender.Acked:N0} |")
            .AppendLine($"| touches acknowledged; achieved rate | {sender.Touches:N0}; {sender.Touches / (double)seconds:N0}/s of {rate:N0}/s asked |")
            .AppendLine($"| created / duplicates / people created / item errors / MQLs | {sender.Created:N0} / {sender.Duplicates:N0} / {sender.PeopleCreated:N0} / {sender.ItemErrors:N0} / {sender.Mqls:N0} |")
            .AppendLine(sender.Ms.Count == 0 ? "| batch acknowledge time | none answered |"
                : $"| batch acknowledge time p50 / p95 / p99 / max ms | {P(sender.Ms, 0.5):N0} / {P(sender.Ms, 0.95):N0} / {P(sender.Ms, 0.99):N0} / {sender.Ms.Max():N0} |")
            .AppendLine($"| most batches in flight (cap); latest send behind schedule | {sender.InFlightMax} ({inFlight}); {sender.LateMaxMs:N0} ms |")
            .AppendLine();

        md.AppendLine("| answers other than 2xx | count |").AppendLine("|---|---:|");
        if (statuses.IsEmpty) md.AppendLine("| none | 0 |");
        foreach (var (what, n) in statuses.OrderBy(x => x.Key, StringComparer.Ordinal)) md.AppendLine($"| {what} | {n:N0} |");
        md.AppendLine();
        var fails = File.Exists(log) ? File.ReadLines(log).Count(l => l.StartsWith("fail:", StringComparison.Ordinal)) : 0;
        md.AppendLine($"Server memory (VmRSS / VmHWM): {rssStart:N0} MB before the first report, {rssWarm:N0} MB after the warm-up, " +
                      $"**{rssMax:N0} MB max during the load**, final VmHWM {hwm:N0} MB. Server log: {fails} `fail:` entries.");
        return md.ToString();
    }

    private static double P(List<double> xs, double p) => InsightBench.Percentile(xs, p);

    private static string Ms(double ms) => (Math.Round(ms) + 0.0).ToString("N0", CultureInfo.InvariantCulture); // + 0.0: no "-0"

    private static void Count(ConcurrentDictionary<string, int> statuses, string what, string status) => statuses.AddOrUpdate($"{what} → {status}", 1, (_, n) => n + 1);

    private static int Int(string[] args, string name, int fallback) =>
        InsightBench.ArgText(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static HttpClient Client(int port, string key, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>Runs a command to the end and returns what it printed; a failure stops the benchmark.</summary>
    private static async Task<string> CliAsync(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(exe)} {args[0]} exited with {p.ExitCode}: {await errors}{await output}");
        return await output;
    }

    /// <summary>The server writes a line per request at the default log level; it goes to a file so the pipe never fills.</summary>
    private static Process StartServer(string exe, string[] args, string log)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        var server = Process.Start(psi)!;
        var file = new StreamWriter(log) { AutoFlush = true };
        void Write(object _, DataReceivedEventArgs e) { if (e.Data is not null) lock (file) file.WriteLine(e.Data); }
        server.OutputDataReceived += Write;
        server.ErrorDataReceived += Write;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process server, string log)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"tandem serve exited with {server.ExitCode}; see {log}");
            try
            {
                using var res = await http.GetAsync("/healthz");
                if (res.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { } // not listening yet
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"tandem serve did not answer /healthz in 2 minutes; see {log}");
            await Task.Delay(250);
        }
    }

    /// <summary>SIGTERM, so the server shuts down as an operator's Ctrl+C would (SQLite checkpoints its log); SIGKILL if it hangs.</summary>
    private static async Task StopAsync(Process server)
    {
        if (server.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await server.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { server.Kill(entireProcessTree: true); }
    }

    /// <summary>The demo's people count and up to 2,000 of their emails (the first pages of GET /api/people).</summary>
    private static async Task<(int Total, List<string> Emails)> PeopleAsync(HttpClient http)
    {
        var emails = new List<string>();
        var total = 0;
        for (var page = 1; page <= 4; page++)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/people?pageSize=500&page={page}"));
            total = doc.RootElement.GetProperty("total").GetInt32();
            var items = doc.RootElement.GetProperty("items");
            emails.AddRange(items.EnumerateArray().Select(i => i.GetProperty("email").GetString()!));
            if (items.GetArrayLength() < 500) break;
        }
        return (total, emails);
    }

    /// <summary>The newest draft of the lead definition, if any: the what-if compares it with the active version.</summary>
    private static async Task<int?> DraftAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/definitions"));
        return doc.RootElement.EnumerateArray().Where(d => d.GetProperty("status").GetString() == "Draft")
            .Select(d => (int?)d.GetProperty("number").GetInt32()).FirstOrDefault();
    }
}
