using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;
using Tandem.Features.Plan;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// `plan --data DIR [--runs 5]`: Plan over an existing (demo) database, in process. Baseline in the same run: one plain
/// SQL read of the opportunities and their stage history (the forecast's input). Measured, each as a median: the plan
/// computation (rates, lags and the walk over warm facts), a 10,000-run Monte Carlo over every open deal plus the plan's
/// future arrivals, a two-year weekly backtest, and the Revenue page's data warm, alone and while another task ingests
/// 500 touches a second through the real ingestor (the page's facts following the change feed).
/// </summary>
internal static class PlanBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(InsightBench.ArgText(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var storage = InsightBench.StorageOf(args, "plan");
        await using var db = storage.Open();
        var options = new PlanOptions();
        var zone = options.Zone();
        var people = await db.People.CountAsync();
        var opps = await db.Opportunities.CountAsync();
        var open = await db.Opportunities.CountAsync(o => o.Outcome == Outcome.Open);
        if (args.Contains("--backtest-only")) return await BacktestOnlyAsync(db, options, runs, args);

        var store = new InsightStore(Personas.ReadSettings(), storage);
        var coldFacts = await Time(() => store.GetAsync(db, default));
        var facts = await store.GetAsync(db, default);
        var now = db.UtcNow;
        var quarter = Period.Quarter(Periods.Today(now, zone));
        var currency = FunnelRates.MainCurrency(facts, now)!;
        var inputs = new PlanInputs(quarter.Next().Label, currency, 10_000_000_00, 0.1, "channel");

        var baseline = new List<double>();
        var plans = new List<double>();
        var carlo = new List<double>();
        var backtests = new List<double>();
        PlanContent? content = null;
        BacktestResult? backtest = null;
        ForecastReport? forecast = null;
        for (var r = 0; r < runs; r++)
        {
            baseline.Add(await Time(() => ScanAsync(db)));
            plans.Add(await Time(() => { content = Plans.Compute(facts, inputs, now, zone).Content; return Task.CompletedTask; }));
            var book = await DealBook.LoadAsync(db, default);
            carlo.Add(await Time(() => { forecast = Forecasts.Run(book, currency, quarter, zone, now, 10_000_000_00, 10_000, r + 1, Forecasts.PlannedSqls(content!, zone)); return Task.CompletedTask; }));
            backtests.Add(await Time(() => { backtest = Backtest.Run(book, currency, zone, now, 8); return Task.CompletedTask; }));
        }
        var dealBook = new List<double>();
        for (var r = 0; r < runs; r++) dealBook.Add(await Time(() => DealBook.LoadAsync(db, default)));

        var cache = new PlanCache(TimeProvider.System);
        await RevenueView.LoadAsync(db, store, cache, options, default); // warm: the backtest cached, as after the first visit
        var page = new List<double>();
        for (var r = 0; r < runs; r++) page.Add(await Time(() => RevenueView.LoadAsync(db, store, cache, options, default)));

        // The same page while 500 touches a second arrive through the real ingestor (batches of 50, ten a second).
        using var stop = new CancellationTokenSource();
        var emails = await db.People.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Email).Take(200_000).ToListAsync();
        var ingested = 0;
        var ingest = Task.Run(async () =>
        {
            var random = new Random(11);
            var tick = Stopwatch.StartNew();
            for (var b = 0; !stop.IsCancellationRequested; b++)
            {
                var at = DateTime.UtcNow;
                var batch = Enumerable.Range(0, 50).Select(i => new TouchInput($"plan-bench-{at.Ticks}-{b}-{i}",
                    i % 10 == 0 ? $"new-{at.Ticks}-{b}-{i}@bench.example" : emails[random.Next(emails.Count)],
                    TouchType.PricingPageVisit, Channel.Organic, null, at.AddSeconds(-i))).ToList();
                await using (var write = storage.Open()) await new TouchIngestor(write).IngestAsync(batch);
                ingested += batch.Count;
                var due = TimeSpan.FromMilliseconds(100 * (b + 1)) - tick.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due);
            }
        });
        await Task.Delay(2000);
        var live = new List<double>();
        var liveWatch = Stopwatch.StartNew();
        for (var r = 0; r < runs * 3; r++) live.Add(await Time(() => RevenueView.LoadAsync(db, store, cache, options, default)));
        var rate = ingested / Math.Max(1, liveWatch.Elapsed.TotalSeconds + 2);
        await stop.CancelAsync();
        await ingest;

        var b0 = Median(baseline);
        var md = $"""
            Plan over {people:N0} people and {opps:N0} opportunities ({open:N0} open), {storage.Provider}, currency {currency};
            medians of {runs} runs ({runs * 3} under ingestion); {Environment.ProcessorCount} cores, .NET {Environment.Version}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd}.
            Facts built cold once: {coldFacts:0.00} s.

            | measurement | seconds | / baseline |
            |---|---:|---:|
            | baseline: plain SQL read of opportunities and their stage history | {b0:0.000} | 1.00 |
            | deal book load (the forecast's input) | {Median(dealBook):0.000} | {Median(dealBook) / b0:0.00} |
            | plan computation: rates, lags and the walk by channel ({content?.Lines.Length ?? 0} lines, {content?.Weeks ?? 0} weeks) | {Median(plans):0.000} | {Median(plans) / b0:0.00} |
            | Monte Carlo, 10,000 runs over {forecast?.OpenDeals ?? 0:N0} open deals + the plan's future arrivals | {Median(carlo):0.000} | {Median(carlo) / b0:0.00} |
            | backtest, 8 quarters, one frozen forecast per week ({backtest?.Tandem.Points ?? 0} points) | {Median(backtests):0.000} | {Median(backtests) / b0:0.00} |
            | Revenue page data, warm (backtest cached for an hour, forecast for a minute) | {Median(page):0.000} | {Median(page) / b0:0.00} |
            | Revenue page data, warm, while ingesting {rate:N0} touches/s (pacing and bookings live) | {Median(live):0.000} | {Median(live) / b0:0.00} |
            """;
        Console.WriteLine(md);
        Directory.CreateDirectory(Path.Combine(FindRepo(), "bench", "results"));
        await File.WriteAllTextAsync(Path.Combine(FindRepo(), "bench", "results", "plan.md"), md + Environment.NewLine);
        return 0;
    }

    /// <summary>`--backtest-only`: the backtest alone against the same baseline, for work on its speed.</summary>
    private static async Task<int> BacktestOnlyAsync(TandemDb db, PlanOptions options, int runs, string[] args)
    {
        var zone = options.Zone();
        var book = await DealBook.LoadAsync(db, default);
        var currency = Forecasts.MainCurrency(book, db.UtcNow)!;
        var (baseline, backtests) = (new List<double>(), new List<double>());
        BacktestResult? result = null;
        for (var r = 0; r < runs; r++)
        {
            baseline.Add(await Time(() => ScanAsync(db)));
            backtests.Add(await Time(() => { result = Backtest.Run(book, currency, zone, db.UtcNow, 8); return Task.CompletedTask; }));
        }
        if (args.Contains("--parts"))
        {
            var (winModel, forecaster, weighted, runRate) = (0.0, 0.0, 0.0, 0.0);
            foreach (var p in result!.Points)
            {
                var q = Period.Parse(p.Quarter)!;
                var (start, end) = (Periods.Utc(q.Start, zone), Periods.Utc(q.End, zone));
                var t = Tandem.Features.Insight.Clock.Of(p.FrozenAt);
                winModel += await Time(() => { WinModel.Build(book, currency, t, Tandem.Features.Insight.Clock.Of(end) - t); return Task.CompletedTask; });
                forecaster += await Time(() => { Forecaster.Build(book, currency, start, end, p.FrozenAt, false); return Task.CompletedTask; });
                weighted += await Time(() => { Baselines.WeightedPipeline(book, currency, start, end, p.FrozenAt, false); return Task.CompletedTask; });
                runRate += await Time(() => { Baselines.RunRate(book, currency, start, end, p.FrozenAt); return Task.CompletedTask; });
            }
            Console.WriteLine($"win model {winModel:0.00} s, forecaster (incl. win model) {forecaster:0.00} s, weighted {weighted:0.00} s, run rate {runRate:0.00} s");
        }
        Console.WriteLine($"baseline {Median(baseline):0.000} s; backtest ({result!.Tandem.Points} points) {Median(backtests):0.000} s = " +
            $"{Median(backtests) / Median(baseline):0.00} x baseline; Tandem WAPE {result.Tandem.Wape:P1}, weighted {result.Weighted.Wape:P1}, run rate {result.RunRate.Wape:P1}");
        return 0;
    }

    internal static async Task ScanAsync(TandemDb db)
    {
        var n = 0L;
        await foreach (var o in db.Opportunities.AsNoTracking().Select(o => new { o.Id, o.AmountMinor, o.CreatedAt, o.ClosedAt, o.SalesStage }).AsAsyncEnumerable()) n += o.Id;
        await foreach (var c in db.OpportunityStageChanges.AsNoTracking().Select(c => new { c.OpportunityId, c.At, c.To }).AsAsyncEnumerable()) n += c.OpportunityId;
        GC.KeepAlive(n);
    }

    internal static async Task<double> Time(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed.TotalSeconds;
    }

    internal static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? 0 : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    internal static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
