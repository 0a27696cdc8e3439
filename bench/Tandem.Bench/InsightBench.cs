using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Bench;

/// <summary>
/// Insight reports over an existing database (the 1M-person demo): the cold build of the in-memory facts, then each
/// report warm: the watermark check plus a full scan of the facts (the result cache is bypassed, so every run
/// computes the report), and separately a repeat of the same query answered from the result cache. Against plain
/// SQL aggregations of the same figures.
/// Usage: dotnet run -c Release --project bench/Tandem.Bench -- insight --data DIR [--runs 15]
/// </summary>
internal static class InsightBench
{
    private static readonly (string Name, string Report, InsightQuery Query)[] Cases =
    [
        ("funnel by channel", "funnel", new InsightQuery { By = "channel" }),
        ("funnel by persona, MQL cohort, one year", "funnel", new InsightQuery { By = "persona", Stage = LifecycleStage.MQL, From = Y(2025), To = Y(2026) }),
        ("funnel by industry, filtered to Email", "funnel", new InsightQuery { By = "industry", Filter = ["channel:Email"] }),
        ("flow per month by channel", "flow", new InsightQuery { By = "channel", Interval = "month" }),
        ("flow per week", "flow", new InsightQuery { Interval = "week" }),
        ("deals by team", "deals", new InsightQuery { By = "team", Basis = "closed" }),
        ("deals by owner", "deals", new InsightQuery { By = "owner" }),
        ("reasons by channel", "reasons", new InsightQuery { By = "channel" }),
        ("channels by channel, one year", "channels", new InsightQuery { By = "channel", From = Y(2025), To = Y(2026) }),
        ("channels by campaign", "channels", new InsightQuery { By = "campaign" }),
        ("attribution first-touch by channel", "attribution", new InsightQuery { Model = "first-touch" }),
        ("attribution w-shaped by channel", "attribution", new InsightQuery { Model = "w-shaped" }),
        ("attribution time-decay by campaign", "attribution", new InsightQuery { Model = "time-decay", By = "campaign" }),
        ("attribution, all 9 models side by side", "attribution-models", new InsightQuery()),
        ("funnel by definition version, MQL cohort", "funnel", new InsightQuery { By = "definition", Stage = LifecycleStage.MQL }),
        ("deals by region, one year", "deals", new InsightQuery { By = "region", From = Y(2025), To = Y(2026) }),
        ("funnel by custom property segment", "funnel", new InsightQuery { By = "property:segment" }),
    ];

    private static DateTime Y(int year) => new(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The same figures in one SQL statement each, as a report without the facts would compute them.</summary>
    private static readonly (string Name, string Sql)[] Baselines =
    [
        ("funnel by channel", """
            SELECT p.SourceChannel, COUNT(*) AS cohort,
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM stage_changes s WHERE s.PersonId = p.Id AND s."To" IN ('MQL','SAL','SQL','Customer')) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM stage_changes s WHERE s.PersonId = p.Id AND s."To" IN ('SAL','SQL','Customer')) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM stage_changes s WHERE s.PersonId = p.Id AND s."To" IN ('SQL','Customer')) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM stage_changes s WHERE s.PersonId = p.Id AND s."To" = 'Customer') THEN 1 ELSE 0 END)
            FROM people p GROUP BY p.SourceChannel
            """),
        ("flow per month by channel", """
            SELECT strftime('%Y-%m', f.At), p.SourceChannel, f."To", COUNT(*)
            FROM (SELECT PersonId, "To", MIN(At) AS At FROM stage_changes GROUP BY PersonId, "To") f JOIN people p ON p.Id = f.PersonId
            GROUP BY 1, 2, 3
            """),
        ("deals by team", """
            SELECT t.Name, o.Currency, SUM(o.Outcome = 'Won'), SUM(o.Outcome = 'Lost'), SUM(CASE WHEN o.Outcome = 'Won' THEN o.AmountMinor ELSE 0 END)
            FROM opportunities o LEFT JOIN users u ON u.Id = o.OwnerId LEFT JOIN teams t ON t.Id = u.TeamId
            WHERE o.Outcome <> 'Open' GROUP BY t.Name, o.Currency
            """),
        ("channels by channel, one year", """
            SELECT p.SourceChannel, s."To", COUNT(DISTINCT s.PersonId)
            FROM stage_changes s JOIN people p ON p.Id = s.PersonId
            WHERE s.At >= '2025-01-01' AND s.At < '2026-01-01' AND s."To" IN ('Inquiry','MQL','SQL')
            GROUP BY p.SourceChannel, s."To"
            """),
        ("attribution first-touch by channel", """
            SELECT t.Channel, o.Currency, SUM(o.AmountMinor)
            FROM opportunities o JOIN touches t ON t.Id = (SELECT t2.Id FROM touches t2 WHERE t2.PersonId = o.PrimaryPersonId ORDER BY t2.OccurredAt LIMIT 1)
            GROUP BY t.Channel, o.Currency
            """),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(ArgText(args, "--runs") ?? "15", CultureInfo.InvariantCulture);
        var storage = StorageOf(args, "insight");
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        storage.AddTo(services);
        await using var sp = services.BuildServiceProvider();
        var store = new InsightStore(new Personas());

        var md = new StringBuilder();
        var clock = Stopwatch.StartNew();
        InsightFacts facts;
        using (var scope = sp.CreateScope()) facts = await store.GetAsync(scope.ServiceProvider.GetRequiredService<TandemDb>(), default);
        var cold = clock.Elapsed.TotalSeconds;
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var rssLoaded = Rss();
        md.AppendLine($"Facts: {facts.PeopleCount:N0} people, {facts.TouchCount:N0} touches, {facts.OppCount:N0} opportunities; " +
                      $"cold build {cold:0.0} s; resident memory after build {rssLoaded:N0} MB; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}.");
        md.AppendLine().AppendLine("| report (warm: watermark check + full scan, result cache bypassed) | median ms | p90 ms | max ms | first run ms | cached answer, median ms | rows |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var medians = new Dictionary<string, double>();
        foreach (var (name, reportName, query) in Cases)
        {
            var report = Reports.Find(reportName)!;
            var times = new List<double>();
            var hits = new List<double>();
            var rows = 0;
            var first = 0.0;
            for (var r = -2; r < runs; r++) // two warm-up runs: JIT and the first build of the slice codes (timed as "first run")
            {
                using var scope = sp.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<TandemDb>();
                var sw = Stopwatch.StartNew();
                if (Reports.Validate(report, query).Any) throw new InvalidOperationException(name);
                var table = await Reports.RunAsync(report, await store.GetAsync(db, default), db, query, default, cached: false);
                sw.Stop();
                rows = table.Rows.Count;
                if (r == -2) first = sw.Elapsed.TotalMilliseconds;
                if (r >= 0) times.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await Reports.RunAsync(report, await store.GetAsync(db, default), db, query, default); // the same question again
                if (r >= 0) hits.Add(sw.Elapsed.TotalMilliseconds);
            }
            medians[name] = Median(times);
            md.AppendLine($"| {name} | {Median(times):0.0} | {Percentile(times, 0.9):0.0} | {times.Max():0.0} | {first:0} | {Median(hits):0.0} | {rows} |");
            Console.WriteLine($"  {name}: median {Median(times):0.0} ms, p90 {Percentile(times, 0.9):0.0} ms, cached {Median(hits):0.0} ms");
        }
        var rssPeak = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
        md.AppendLine().AppendLine($"Resident memory after all reports: {Rss():N0} MB (peak during the cold build: {rssPeak:N0} MB).");

        md.AppendLine().AppendLine("| same figures in plain SQL on the same database | median ms | Insight ms | SQL / Insight |").AppendLine("|---|---:|---:|---:|");
        var sqlRuns = Math.Max(3, runs / 5);
        foreach (var (name, sql) in Baselines)
        {
            var times = new List<double>();
            using var scope = sp.CreateScope();
            var conn = scope.ServiceProvider.GetRequiredService<TandemDb>().Database.GetDbConnection();
            await conn.OpenAsync();
            for (var r = -1; r < sqlRuns; r++)
            {
                var sw = Stopwatch.StartNew();
                await using (var cmd = conn.CreateCommand())
                {
                    cmd.CommandText = sql;
                    cmd.CommandTimeout = 600;
                    await using var reader = await cmd.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) { }
                }
                if (r >= 0) times.Add(sw.Elapsed.TotalMilliseconds);
            }
            var key = medians.Keys.FirstOrDefault(k => name.StartsWith(k, StringComparison.Ordinal)) ?? "attribution w-shaped by channel";
            var ours = medians[key];
            md.AppendLine($"| {name} | {Median(times):0} | {ours:0.0} ({key}) | {Median(times) / ours:0} × |");
            Console.WriteLine($"  SQL {name}: median {Median(times):0} ms");
        }
        Console.WriteLine();
        Console.WriteLine(md);
        var results = Path.Combine(FindRepo(), "bench", "results");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "insight.md"), md.ToString());
        return 0;
    }

    private static long Rss() => Process.GetCurrentProcess().WorkingSet64 >> 20;

    private static double Median(List<double> xs) => Percentile(xs, 0.5);

    internal static double Percentile(List<double> xs, double p)
    {
        var s = xs.Order().ToList();
        var pos = p * (s.Count - 1);
        var lo = (int)Math.Floor(pos);
        return s[lo] + (s[Math.Min(lo + 1, s.Count - 1)] - s[lo]) * (pos - lo);
    }

    internal static string? ArgText(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>The demo database a bench reads: `--data DIR` (SQLite) or `--postgres CONNSTR` (a database holding a demo made
    /// with `tandem demo --postgres …`). Exactly one of them.</summary>
    internal static Storage StorageOf(string[] args, string bench)
    {
        var (dir, postgres) = (ArgText(args, "--data"), ArgText(args, "--postgres"));
        if ((dir is null) == (postgres is null))
            throw new ArgumentException($"{bench} needs --data DIR (a folder holding tandem.db) or --postgres CONNSTR (a database holding a demo)");
        return dir is not null ? Storage.Sqlite(dir) : new Storage(DbProvider.Postgres, postgres!);
    }

    internal static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
