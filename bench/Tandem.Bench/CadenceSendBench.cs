using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tandem.Data;
using Tandem.Features.Cadence;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;
using Tandem.Features.Plan;
using Tandem.Features.Users;

namespace Tandem.Bench;

/// <summary>
/// `cadence-send [--recipients 200] [--runs 5]` (docs/benchmarks.md, Cadence): the weekly record's email to N recipients
/// through the local SMTP sink (<see cref="BenchSmtpSink"/>), the way the job sends it: <see cref="SyncEmail.QueueAsync"/>
/// (PDF rendered, HTML and text built, outbox rows saved) and then <see cref="EmailOutbox.SendAsync"/> for each row.
/// Two shapes: one team list of N addresses (one message, N recipients: decision 0062's normal case) and N lists of one
/// address each (N messages, each on its own connection: the worst case). Baseline in the same run: one short plain email
/// to one recipient through the same sender and sink. A fresh SQLite database in a temporary folder, removed afterwards.
/// </summary>
internal static class CadenceSendBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var recipients = int.Parse(InsightBench.ArgText(args, "--recipients") ?? "200", CultureInfo.InvariantCulture);
        var runs = int.Parse(InsightBench.ArgText(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var root = Path.Combine(Path.GetTempPath(), "tandem-bench", "cadence-send-" + Guid.NewGuid().ToString("N"));
        await using var sink = new BenchSmtpSink();
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Tls = SmtpTls.None, From = "tandem@bench.test", Timeout = TimeSpan.FromSeconds(30) };
        var sender = new SmtpEmailSender(smtp, NullLogger<SmtpEmailSender>.Instance);
        try
        {
            var storage = Storage.Sqlite(root);
            await using var db = storage.Open();
            await Storage.MigrateAsync(db);
            db.Actor = "bench";
            var services = new ServiceCollection();
            storage.AddTo(services);
            services.AddSingleton(TimeProvider.System);
            await using var sp = services.BuildServiceProvider();
            var outbox = new EmailOutbox(sp.GetRequiredService<IServiceScopeFactory>(), sender, TimeProvider.System, NullLogger<EmailOutbox>.Instance);

            // One team whose list holds every address, and as many one-address teams for the worst case.
            var all = Enumerable.Range(1, recipients).Select(i => $"person{i:0000}@bench.test").ToArray();
            db.Teams.Add(new Team { Name = "All" });
            for (var i = 0; i < recipients; i++) db.Teams.Add(new Team { Name = $"Solo {i + 1:0000}" });
            await db.SaveChangesAsync();
            var oneList = new CadenceOptions { Lists = new() { ["All"] = string.Join(',', all) } };
            var manyLists = new CadenceOptions { Lists = all.Select((a, i) => (Key: $"Solo {i + 1:0000}", a)).ToDictionary(x => x.Key, x => x.a) };
            // Teams without a list get their members (none here), so each options object sends to exactly its own shape.

            var records = new SyncRecords(new InsightStore(Personas.ReadSettings(), storage), Options.Create(new PlanOptions()), Options.Create(new CadenceOptions()), new CompanyOptions());
            var week = records.ThisWeek(db).Previous();
            var row = await records.WriteFirstAsync(db, week, null, default) ?? await SyncRecords.LatestAsync(db, week.Key, default)
                ?? throw new InvalidOperationException("no record written");
            var doc = SyncBuilder.Parse(row.Document);

            var baseline = new List<double>();
            var single = new List<double>();
            var each = new List<double>();
            var before = sink.Received;
            // One warm-up of each, so the first run does not carry MailKit's and PDFsharp's start-up.
            await sender.SendAsync(new EmailMessage(["warm@bench.test"], "warm-up", "warm-up"));
            await SendAsync(db, outbox, row, doc, oneList);
            for (var r = 0; r < runs; r++)
            {
                baseline.Add(await PlanBench.Time(() => sender.SendAsync(new EmailMessage([all[0]], "Baseline", "One short line."))));
                single.Add(await PlanBench.Time(() => SendAsync(db, outbox, row, doc, oneList)));
                each.Add(await PlanBench.Time(() => SendAsync(db, outbox, row, doc, manyLists)));
            }
            var sent = sink.Received - before;
            var expected = 2 + runs * (2 + recipients);
            if (sent != expected) throw new InvalidOperationException($"the sink received {sent} messages, expected {expected}");

            var b0 = PlanBench.Median(baseline);
            var md = $"""
                ## Cadence: the weekly email to {recipients} recipients through the local SMTP sink ({runs} runs, medians)

                Each send renders the PDF ({SyncPdf.Render(doc, row.Sha256).Length / 1024.0:0} KB), builds the HTML and text, saves the outbox rows and
                sends them through the outbox as the job does. The sink received every message ({sent} in all).

                | measurement | seconds | / baseline |
                |---|---:|---:|
                | baseline: one short plain email to one recipient | {b0:0.000} | 1.00 |
                | the record to one team list of {recipients} addresses (one message, {recipients} recipients) | {PlanBench.Median(single):0.000} | {PlanBench.Median(single) / b0:0.0} |
                | the record to {recipients} lists of one address (the worst case: {recipients} messages) | {PlanBench.Median(each):0.000} | {PlanBench.Median(each) / b0:0.0} |
                """;
            Console.WriteLine(md);
            Directory.CreateDirectory(Path.Combine(PlanBench.FindRepo(), "bench", "results"));
            await File.WriteAllTextAsync(Path.Combine(PlanBench.FindRepo(), "bench", "results", "cadence-send.md"), md + Environment.NewLine);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Queues the record to every list of <paramref name="options"/> and sends each row; fails loudly if one is not sent.</summary>
    private static async Task SendAsync(TandemDb db, EmailOutbox outbox, SyncRecord row, SyncDocument doc, CadenceOptions options)
    {
        var rows = await SyncEmail.QueueAsync(db, row, doc, options, default);
        await db.SaveChangesAsync();
        foreach (var e in rows)
            if (await outbox.SendAsync(e.Id) is { } why) throw new InvalidOperationException($"email {e.Id} was not sent: {why}");
        db.ChangeTracker.Clear();
    }
}
