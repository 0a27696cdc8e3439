using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// What-if over an existing (demo) database: a draft that lowers the threshold to 45, against the active version.
/// Baseline in the same run: one plain SQL pass over the columns a replay reads (touches, then stage changes).
/// Reported: the cold load of the timeline, then warm what-ifs (timeline cached, both versions replayed in full), then
/// what-ifs each right after a batch of 500 new touches (through the real ingestor, scoring and automatic MQL included),
/// which follow the change feed instead of reloading.
/// </summary>
internal static class WhatIfBench
{
    public static async Task<int> RunAsync(string dir, int runs)
    {
        var storage = Storage.Sqlite(dir);
        await using var db = storage.Open();
        var active = await db.LeadDefinitions.AsNoTracking().SingleAsync(d => d.Status == DefinitionStatus.Active);
        var draft = await db.LeadDefinitions.AsNoTracking().Where(d => d.Status == DefinitionStatus.Draft).OrderBy(d => d.Number).FirstOrDefaultAsync()
            ?? await Definitions.CreateDraftAsync(db, active.Parsed() with { Qualify = active.Parsed().Qualify with { Threshold = 45 } }, "bench: threshold 45", active, default);
        var people = await db.People.CountAsync();
        var touches = await db.Touches.LongCountAsync();

        var scans = new List<double>();
        for (var r = 0; r < runs; r++) scans.Add(await Time(() => ScanAsync(db)));
        var service = new WhatIfService();
        var cold = await Time(() => service.TimelineAsync(db, default));
        WhatIfResult? result = null;
        var first = await Time(async () => result = await service.RunAsync(db, draft.Number, 12, default));
        var warm = new List<double>();
        for (var r = 0; r < runs; r++) warm.Add(await Time(async () => result = await service.RunAsync(db, draft.Number, 12, default)));
        var emails = await db.People.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Email).Take(400_000).ToListAsync();
        var random = new Random(7);
        var afterNew = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var now = DateTime.UtcNow;
            var batch = Enumerable.Range(0, 500).Select(i => new TouchInput($"whatif-bench-{now.Ticks}-{i}",
                i % 5 == 0 ? $"new-{now.Ticks}-{i}@bench.example" : emails[random.Next(emails.Count)],
                TouchType.PricingPageVisit, Channel.Organic, null, now.AddMinutes(-i % 60))).ToList();
            await using (var write = storage.Open()) await new TouchIngestor(write).IngestAsync(batch);
            afterNew.Add(await Time(async () => result = await service.RunAsync(db, draft.Number, 12, default)));
        }
        var rss = Process.GetCurrentProcess().WorkingSet64 / (1 << 20);

        var md = $"""
            What-if over {people:N0} people and {touches:N0} touches (SQLite, `{dir}`); v{draft.Number} (threshold 45) against active v{active.Number}, 12 months;
            medians of {runs} runs; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd}.

            | measurement | seconds | / baseline |
            |---|---:|---:|
            | baseline: plain SQL read of touches and stage changes (the replay's input) | {Median(scans):0.00} | 1.00 |
            | timeline load (cold, once per data change) | {cold:0.00} | {cold / Median(scans):0.00} |
            | first what-if after the load (both versions replayed) | {first:0.00} | {first / Median(scans):0.00} |
            | what-if, warm (the draft replayed; the active version's replay kept) | {Median(warm):0.00} | {Median(warm) / Median(scans):0.00} |
            | what-if right after 500 new touches (history follows the feed; changed people redone) | {Median(afterNew):0.00} | {Median(afterNew) / Median(scans):0.00} |

            Result: {result!.DraftMqls:N0} MQLs under v{draft.Number}, {result.ActiveMqls:N0} under v{active.Number}, {result.ActualMqls:N0} actual. Process working set after: {rss:N0} MB.
            """;
        Console.WriteLine(md);
        var results = Path.Combine(FindRepo(), "bench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "whatif.md"), md);
        return 0;
    }

    private static async Task<long> ScanAsync(TandemDb db)
    {
        long n = 0;
        await foreach (var _ in db.Touches.AsNoTracking().Select(t => new { t.PersonId, t.OccurredAt, t.Type, t.Channel, t.CampaignId }).AsAsyncEnumerable()) n++;
        await foreach (var _ in db.StageChanges.AsNoTracking().Select(s => new { s.PersonId, s.At, s.To, s.Cause, s.ReengageAt }).AsAsyncEnumerable()) n++;
        return n;
    }

    private static async Task<double> Time(Func<Task> f)
    {
        var clock = Stopwatch.StartNew();
        await f();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
