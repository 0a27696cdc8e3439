using System.Data;
using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MailKit.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Nurture;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// `nurture [--messages N] [--people N] [--clicks N] [--touches N] [--runs R] [--data DIR | --postgres CONNSTR] [--only send|enrol]` (with --postgres, the queue and clicks run in a fresh database on that server) (docs/benchmarks.md, Nurture):
/// (1) queue throughput: <see cref="NurtureMailer.SendDueAsync"/> draining N queued sends to a local SMTP sink, throttling off,
/// against raw MailKit sending the same number of prebuilt messages over one connection to the same sink (the floor);
/// (2) enrolment evaluation over N people in SQLite, against a plain EF read of the same columns; with --data, over the people of
/// an existing (demo) database instead of N written ones (with --postgres, a PostgreSQL database holding a demo) (its scores and stage history make the reads realistic; it is migrated and gains the streamed touches);
/// (3) click redirect latency on Kestrel (the first click of each send: a touch ingested and scored), against GET /healthz,
/// both while --touches N a second (20 by default) stream in.
/// </summary>
public static class NurtureBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Arg(args, "--messages", 5_000);
        var people = Arg(args, "--people", 1_000_000);
        var clicks = Arg(args, "--clicks", 2_000);
        var touches = Arg(args, "--touches", 20);
        var runs = Arg(args, "--runs", 3);
        var data = Array.IndexOf(args, "--data") is var d and >= 0 && d + 1 < args.Length ? args[d + 1] : null;
        var postgres = Array.IndexOf(args, "--postgres") is var pg and >= 0 && pg + 1 < args.Length ? args[pg + 1] : null;
        var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1] : null;
        var rows = new List<string>();
        var root = Path.Combine(Path.GetTempPath(), "tandem-bench", "nurture-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (only is null or "send")
            {
                // On PostgreSQL the queue runs in a fresh database beside the demo's, dropped afterwards.
                var name = $"tandem_bench_nurture_{Guid.NewGuid():N}";
                var send = postgres is null ? Storage.Sqlite(Path.Combine(root, "send"))
                    : new Storage(DbProvider.Postgres, new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = name }.ToString());
                if (postgres is not null) await ImportBench.PgAsync(postgres, $"CREATE DATABASE {name}");
                try { await ThroughputAndClicksAsync(send, messages, clicks, touches, runs, rows); }
                finally
                {
                    Npgsql.NpgsqlConnection.ClearAllPools();
                    if (postgres is not null) await ImportBench.PgAsync(postgres, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                }
            }
            if (only is null or "enrol")
            {
                var demo = postgres is not null ? new Storage(DbProvider.Postgres, postgres) : data is not null ? Storage.Sqlite(data) : null;
                await EnrolmentAsync(demo ?? Storage.Sqlite(Path.Combine(root, "enrol")), demo is null ? people : null, touches, runs, rows);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        Console.WriteLine();
        Console.WriteLine($"Nurture on {(postgres is null ? "SQLite" : "PostgreSQL")}; medians of {runs} runs; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        Console.WriteLine();
        Console.WriteLine("| measurement | median | rate or p99 | this / baseline |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);
        return 0;
    }

    private static WebApplication Host(Storage storage, int port, string[]? urls) => TandemHost.Build(new HostOptions(storage, urls, Quiet: true)
    {
        Configure = b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture), ["Smtp:From"] = "news@acme.test", ["Smtp:Tls"] = "None",
            ["Nurture:RunInBackground"] = "false", ["Email:RunInBackground"] = "false", ["Sla:RunInBackground"] = "false", ["Webhooks:RunInBackground"] = "false",
            ["Nurture:BatchSize"] = "500", ["Nurture:PublicUrl"] = "https://tandem.test",
        }),
        Limits = new Features.Access.RateLimits(IngestPerMinute: 1_000_000),
    });

    private static async Task ThroughputAndClicksAsync(Storage storage, int messages, int clicks, int touches, int runs, List<string> rows)
    {
        await using var sink = new BenchSmtpSink();
        var app = Host(storage, sink.Port, ["http://127.0.0.1:0"]);
        await TandemHost.MigrateAsync(app.Services);
        await app.StartAsync();
        try
        {
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
                var ingestor = scope.ServiceProvider.GetRequiredService<TouchIngestor>();
                var now = DateTime.UtcNow;
                await ingestor.IngestAsync([.. Enumerable.Range(0, messages).Select(i => new TouchInput($"b{i}", $"person{i}@bench.test", TouchType.WebVisit,
                    Channel.Organic, null, now.AddMinutes(-1), FirstName: $"P{i}"))]);
                db.NurtureTracks.Add(new NurtureTrack
                {
                    Name = "Bench", Status = TrackStatus.Active, CreatedAt = now, Content = new TrackContent(new EnrolRule(LifecycleStage.Inquiry),
                        [new Step("m1", StepKind.Message, [new Variant("A", "Hello {{ firstName }}", "Hi {{ firstName | there }},\n\n[Read this](https://acme.test/a) and [that](https://acme.test/b).")])]).ToJson(),
                });
                await db.SaveChangesAsync();
                var runner = app.Services.GetRequiredService<NurtureRunner>();
                await runner.EnrolAsync(db, CancellationToken.None);
                await runner.AdvanceAsync(db, CancellationToken.None);
                var queued = await db.NurtureSends.CountAsync(s => s.Status == SendStatus.Queued);
                if (queued != messages) throw new InvalidOperationException($"expected {messages} queued, found {queued}");
            }
            // Touches stream in while the queue and the clicks are measured (and the baselines beside them), as on a live server.
            using var stop = new CancellationTokenSource();
            var stream = touches > 0 ? TouchStream.RunAsync(storage, touches, stop.Token) : Task.FromResult(0);
            var mailer = app.Services.GetRequiredService<NurtureMailer>();
            var raw = await RawMimesAsync(app, messages);
            var tandem = new List<double>();
            var floor = new List<double>();
            for (var r = -1; r < runs; r++)
            {
                await RequeueAsync(app);
                var before = sink.Received;
                var t = Stopwatch.StartNew();
                var sent = await mailer.SendDueAsync();
                var s = t.Elapsed.TotalSeconds;
                if (sent != messages || sink.Received - before != messages) throw new InvalidOperationException($"sent {sent}, sink got {sink.Received - before}");
                t.Restart();
                await SendRawAsync(sink.Port, raw);
                var f = t.Elapsed.TotalSeconds;
                if (r < 0) continue; // warm-up
                (tandem, floor) = ([.. tandem, s], [.. floor, f]);
                Console.WriteLine($"  run {r + 1}: queue {messages / s:N0} msg/s, raw MailKit {messages / f:N0} msg/s");
            }
            rows.Add($"| baseline: raw MailKit, {messages:N0} prebuilt messages over one connection | {Median(floor):0.00} s | {messages / Median(floor):N0} msg/s | 1.00 |");
            rows.Add($"| nurture queue: claim, mark, MIME + RFC 8058 headers, send, mark sent; {messages:N0} messages | {Median(tandem):0.00} s | {messages / Median(tandem):N0} msg/s | {Median(tandem) / Median(floor):0.00} |");

            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            var paths = await ClickPathsAsync(app, clicks);
            var health = new List<double>();
            var click = new List<double>();
            for (var i = 0; i < paths.Count; i++)
            {
                var t = Stopwatch.StartNew();
                using (var res = await http.GetAsync("/healthz")) if (!res.IsSuccessStatusCode) throw new InvalidOperationException("healthz");
                health.Add(t.Elapsed.TotalMilliseconds);
                t.Restart();
                using (var res = await http.GetAsync(paths[i])) if ((int)res.StatusCode != 302) throw new InvalidOperationException($"click answered {(int)res.StatusCode}");
                click.Add(t.Elapsed.TotalMilliseconds);
            }
            await stop.CancelAsync();
            var streamed = await stream;
            (health, click) = (health.Skip(50).ToList(), click.Skip(50).ToList()); // JIT and first-connection warm-up
            rows.Add($"| touches streamed in while the queue above and the clicks below were measured ({touches} a second asked) | {streamed:N0} | | |");
            rows.Add($"| baseline: GET /healthz, {health.Count:N0} requests | {Median(health):0.00} ms | p99 {Percentile(health, 0.99):0.00} ms | 1.00 |");
            rows.Add($"| click redirect (first click: signature, one read, 302; the EmailClick touch is written behind it, decision 0089), {click.Count:N0} clicks | {Median(click):0.00} ms | p99 {Percentile(click, 0.99):0.00} ms | {Percentile(click, 0.99) / Percentile(health, 0.99):0.00} (p99) |");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task RequeueAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var now = db.UtcNow;
        await db.NurtureSends.ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SendStatus.Queued).SetProperty(x => x.NextAttemptAt, now).SetProperty(x => x.SentAt, (DateTime?)null));
    }

    private static async Task<List<MimeMessage>> RawMimesAsync(WebApplication app, int n)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var rows = await db.NurtureSends.AsNoTracking().OrderBy(s => s.Id).Take(n).ToListAsync();
        return [.. rows.Select(r =>
        {
            var m = new MimeMessage();
            m.From.Add(MailboxAddress.Parse("news@acme.test"));
            m.To.Add(MailboxAddress.Parse(r.Email));
            m.Subject = r.Subject;
            m.Body = new BodyBuilder { TextBody = r.Text, HtmlBody = r.Html }.ToMessageBody();
            return m;
        })];
    }

    private static async Task SendRawAsync(int port, List<MimeMessage> mimes)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        foreach (var m in mimes) await client.SendAsync(m);
        await client.DisconnectAsync(true);
    }

    private static async Task<List<string>> ClickPathsAsync(WebApplication app, int n)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        var links = await app.Services.GetRequiredService<NurtureKeys>().LinksAsync(db, CancellationToken.None);
        var ids = await db.NurtureSends.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).Take(n).ToListAsync();
        return [.. ids.Select(id => new Uri(links.ClickUrl(id, "https://acme.test/a")).PathAndQuery)];
    }

    /// <summary>N people (70 % Inquiry, 30 % recycled), written with raw SQL, or the people of the database in <paramref name="storage"/> when
    /// <paramref name="write"/> is null; then the enrolment pass over all of them against a plain read.</summary>
    private static async Task EnrolmentAsync(Storage storage, int? write, int touches, int runs, List<string> rows)
    {
        var app = Host(storage, 25, null);
        var sqlite = storage.Provider == DbProvider.Sqlite;
        await TandemHost.MigrateAsync(app.Services);
        var load = Stopwatch.StartNew();
        if (write is { } w)
        {
            await FillAsync(app, w);
            Console.WriteLine($"  {w:N0} people written in {load.Elapsed.TotalSeconds:0.0} s");
        }
        int people, nurtured;
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            people = await db.People.CountAsync();
            nurtured = await db.People.CountAsync(p => p.Stage == LifecycleStage.Nurture || p.Stage == LifecycleStage.Inquiry);
        }
        var what = write is null ? $"the {people:N0} people of the demo on {storage.Provider} ({nurtured:N0} in Inquiry or Nurture)" : $"{people:N0} people";
        Console.WriteLine($"  enrolment over {what}");
        var personas = Personas.FromConfiguration(app.Services.GetRequiredService<IConfiguration>());
        var rule = new EnrolRule(LifecycleStage.Inquiry, Personas: ["Sales"]);
        var plain = new List<double>();
        var scan = new List<double>();
        var eval = new List<double>();
        using var stop = new CancellationTokenSource();
        var stream = touches > 0 ? TouchStream.RunAsync(storage, touches, stop.Token) : Task.FromResult(0);
        for (var r = -1; r < runs; r++)
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
            var t = Stopwatch.StartNew();
            var n = (await db.People.AsNoTracking().Where(p => p.Stage == LifecycleStage.Nurture || p.Stage == LifecycleStage.Inquiry)
                .Select(p => new { p.Id, p.Stage, p.Title, p.SourceChannel, p.Email }).ToListAsync()).Count;
            var p0 = t.Elapsed.TotalSeconds;
            t.Restart();
            // The same read as a table scan (what SQLite does without the Stage index): the floor of any pass over these people.
            // PostgreSQL's planner scans the table for a read of most of it anyway, so there the plain read stands for both.
            var n2 = !sqlite ? n : (await db.People.FromSqlRaw("SELECT * FROM \"people\" NOT INDEXED").AsNoTracking()
                .Where(p => p.Stage == LifecycleStage.Nurture || p.Stage == LifecycleStage.Inquiry)
                .Select(p => new { p.Id, p.Stage, p.Title, p.SourceChannel, p.Email }).ToListAsync()).Count;
            var s0 = t.Elapsed.TotalSeconds;
            t.Restart();
            // What the enrolment pass runs (NurtureRunner.EnrolAsync): candidates any track wants, then the first track that matches.
            var picked = await Candidates.PickAsync(db, personas, [(1, rule), (2, new EnrolRule(LifecycleStage.Nurture))], 60, false, null, CancellationToken.None);
            var e0 = t.Elapsed.TotalSeconds;
            // The stream may qualify a few people meanwhile, so the reads may differ from the count by those.
            if (Math.Abs(n - nurtured) > nurtured / 100 || Math.Abs(n2 - nurtured) > nurtured / 100 || picked.Count == 0) throw new InvalidOperationException($"read {n} and {n2} of {nurtured}, picked {picked.Count}");
            if (r < 0) continue;
            (plain, scan, eval) = ([.. plain, p0], [.. scan, s0], [.. eval, e0]);
            Console.WriteLine($"  run {r + 1}: plain read {p0:0.00} s, {(sqlite ? $"scan {s0:0.00} s, " : "")}evaluation {e0:0.00} s ({picked.Count:N0} enrol)");
        }
        await stop.CancelAsync();
        rows.Add($"| touches streamed in while enrolment was measured ({touches} a second asked) | {await stream:N0} | | |");
        rows.Add($"| baseline: plain EF read of the enrolment columns of {what} | {Median(plain):0.00} s | {people / Median(plain):N0} people/s | 1.00 |");
        if (sqlite) rows.Add($"| the same read as a table scan (`NOT INDEXED`) | {Median(scan):0.00} s | {people / Median(scan):N0} people/s | {Median(scan) / Median(plain):0.00} |");
        rows.Add($"| enrolment evaluation over {what} (facts, persona, two tracks' rules) | {Median(eval):0.00} s | {people / Median(eval):N0} people/s | {Median(eval) / Median(plain):0.00} |");
        await app.DisposeAsync();
    }

    private static async Task FillAsync(WebApplication app, int people)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
        await db.Database.OpenConnectionAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var (sql, ps) = RawSql.Insert("people", ("Email", DbType.String), ("Title", DbType.String), ("Stage", DbType.String), ("SourceChannel", DbType.String),
            ("StageChangedAt", DbType.String), ("CreatedAt", DbType.String), ("UpdatedAt", DbType.String), ("Version", DbType.Int32));
        string[] titles = ["VP Sales", "Marketing Manager", "CFO", "Engineer", "Head of Sales", "Analyst"];
        var at = RawSql.SqliteTime(DateTime.UtcNow);
        for (var start = 0; start < people; start += 50_000)
            await RawSql.InsertEachAsync(db, sql, ps, [.. Enumerable.Range(start, Math.Min(50_000, people - start)).Select(i => new object?[]
            {
                $"p{i}@bench{i % 997}.test", titles[i % titles.Length], i % 10 < 7 ? "Inquiry" : "Nurture", "Organic", at, at, at, 1,
            })], CancellationToken.None);
        await tx.CommitAsync();
    }

    private static double Median(List<double> xs) => Percentile(xs, 0.5);

    private static double Percentile(List<double> xs, double p)
    {
        var s = xs.Order().ToList();
        return s[Math.Min(s.Count - 1, (int)Math.Ceiling(p * s.Count) - 1)];
    }

    private static int Arg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
