using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tandem.Data;
using Tandem.Features.Cadence;
using Tandem.Features.Insight;
using Tandem.Features.Plan;

namespace Tandem.Bench;

/// <summary>
/// `cadence --data DIR | --postgres CONNSTR [--runs 5]`: the weekly sync record over an existing (demo) database, in process. Baseline in the
/// same run: the plain SQL read of opportunities and their stage history (PlanBench's). Measured, each as a median over
/// distinct past weeks: writing a record (gather + build + JSON + SHA-256 + insert, the PDF rendered and the team emails
/// queued in the same transaction), rendering the PDF alone, and what the page loads for a written week (the record, its
/// sending status and the diff with the week before), and the page's data for this week, which has no record yet: its first visit
/// (built from the data and kept, decision 0101) and the visits after it (answered from the kept document). Touches stream in
/// during every measurement (`--touches N` a second, 20 by default, 0 for none), so each write follows the change feed as a real
/// server's does. The database is migrated and gains records and touches: use a copy.
/// </summary>
internal static class CadenceBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(InsightBench.ArgText(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var rate = int.Parse(InsightBench.ArgText(args, "--touches") ?? "20", CultureInfo.InvariantCulture);
        var storage = InsightBench.StorageOf(args, "cadence");
        await using var db = storage.Open();
        await Storage.MigrateAsync(db);
        db.Actor = "bench";
        var people = await db.People.CountAsync();
        var store = new InsightStore(Personas.ReadSettings(), storage);
        var cold = await PlanBench.Time(() => store.GetAsync(db, default));
        var records = new SyncRecords(store, Options.Create(new PlanOptions()), Options.Create(new CadenceOptions()), new CompanyOptions());
        var week = records.ThisWeek(db);
        var baseline = new List<double>();
        var writes = new List<double>();
        var pdfs = new List<double>();
        var pages = new List<double>();
        var live = new List<double>();
        var kept = new List<double>();
        var noted = new List<double>();
        var warms = new List<double>();
        var warmed = new List<double>();
        var thisWeek = records.ThisWeek(db);
        var scopes = new ServiceCollection().AddScoped(_ => storage.Open()).BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        var emails = 0;
        using var stop = new CancellationTokenSource();
        var stream = rate > 0 ? TouchStream.RunAsync(storage, rate, stop.Token) : Task.FromResult(0);
        for (var r = 0; r < runs; r++)
        {
            week = week.Previous();
            while (await db.SyncRecords.AnyAsync(x => x.Week == week.Key)) week = week.Previous();
            baseline.Add(await PlanBench.Time(() => PlanBench.ScanAsync(db)));
            SyncRecord? row = null;
            SyncDocument? doc = null;
            writes.Add(await PlanBench.Time(async () => row = await records.WriteFirstAsync(db, week, async (tx, rec, d) =>
            {
                doc = d;
                emails = (await SyncEmail.QueueAsync(tx, rec, d, records.Options, default)).Count;
            }, default)));
            pdfs.Add(await PlanBench.Time(() => { GC.KeepAlive(SyncPdf.Render(doc!, row!.Sha256)); return Task.CompletedTask; }));
            pages.Add(await PlanBench.Time(async () =>
            {
                var (dto, _) = await CadenceApi.LoadAsync(db, records, week.Key, null, default);
                if (await SyncRecords.LatestAsync(db, week.Previous().Key, default) is { } prev) GC.KeepAlive(SyncDiff.Of(SyncBuilder.Parse(prev.Document), dto!.Document));
            }));
            // A new LiveSync per run is a server's first visit after a start; the visits after it are answered from what it kept.
            var liveSync = new LiveSync(records, scopes, NullLogger<LiveSync>.Instance);
            async Task LivePage() => await LivePageOf(liveSync);
            async Task LivePageOf(LiveSync of)
            {
                var (dto, _) = await CadenceApi.LoadAsync(db, records, thisWeek.Key, null, default, of);
                if (dto!.Written) throw new InvalidOperationException($"{thisWeek.Key} is written: the live page is not measured");
                if (await SyncRecords.LatestAsync(db, thisWeek.Previous().Key, default) is { } prev) GC.KeepAlive(SyncDiff.Of(SyncBuilder.Parse(prev.Document), dto.Document));
            }
            live.Add(await PlanBench.Time(LivePage));
            for (var i = 0; i < 10; i++) kept.Add(await PlanBench.Time(LivePage));
            // A question raised in the meeting, then the page it redirects to: the meeting's part is read again, not the week.
            db.FieldNotes.Add(new FieldNote { Kind = NoteKind.Question, Text = $"Bench question {r}", AuthorName = "bench", At = db.UtcNow, CreatedAt = db.UtcNow });
            await db.SaveChangesAsync();
            noted.Add(await PlanBench.Time(LivePage));
            // A start as the server does it (decision 0102): the cadence job builds the page ahead, then the first visit comes.
            var ahead = new LiveSync(records, scopes, NullLogger<LiveSync>.Instance);
            warms.Add(await PlanBench.Time(() => ahead.WarmAsync(default)));
            warmed.Add(await PlanBench.Time(() => LivePageOf(ahead)));
        }
        await stop.CancelAsync();
        var streamed = await stream;
        var b0 = PlanBench.Median(baseline);
        var md = $"""
            ## Cadence at {people:N0} people on {storage.Provider} ({runs} weeks written, medians)

            Facts built cold once: {cold:0.00} s. Each record queued {emails} team email(s) with the PDF attached.
            Touches streamed in during the measurements: {streamed:N0} ({rate} a second asked, in batches every 250 ms).

            | measurement | seconds | / baseline |
            |---|---:|---:|
            | baseline: plain SQL read of opportunities and their stage history | {b0:0.000} | 1.00 |
            | write a weekly record: gather, build, JSON + SHA-256, insert, PDF and emails queued (warm facts) | {PlanBench.Median(writes):0.000} | {PlanBench.Median(writes) / b0:0.00} |
            | render the record's PDF | {PlanBench.Median(pdfs):0.000} | {PlanBench.Median(pdfs) / b0:0.00} |
            | the page's data for a written week: record, sending status, diff with the week before | {PlanBench.Median(pages):0.000} | {PlanBench.Median(pages) / b0:0.00} |
            | the page's data for this week ({thisWeek.Key}, no record yet), first visit: built from the data and kept, diff with the week before | {PlanBench.Median(live):0.000} | {PlanBench.Median(live) / b0:0.00} |
            | the same page, the visits after it ({kept.Count}; answered from the kept document, decision 0101), p95 {InsightBench.Percentile(kept, 0.95):0.000} s | {PlanBench.Median(kept):0.000} | {PlanBench.Median(kept) / b0:0.00} |
            | the same page just after a question was added in the meeting (the meeting's part read again) | {PlanBench.Median(noted):0.000} | {PlanBench.Median(noted) / b0:0.00} |
            | after a start, the cadence job's build ahead of any visit (background work, decision 0102) | {PlanBench.Median(warms):0.000} | {PlanBench.Median(warms) / b0:0.00} |
            | after a start, the first visit once the job has built the page | {PlanBench.Median(warmed):0.000} | {PlanBench.Median(warmed) / b0:0.00} |
            """;
        Console.WriteLine(md);
        Directory.CreateDirectory(Path.Combine(PlanBench.FindRepo(), "bench", "results"));
        await File.WriteAllTextAsync(Path.Combine(PlanBench.FindRepo(), "bench", "results", "cadence.md"), md + Environment.NewLine);
        return 0;
    }
}
