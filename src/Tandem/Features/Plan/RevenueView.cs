using NodaTime;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>One stage of the quarter, every plan line added up.</summary>
public sealed record StageRow(int Stage, string Label, double PlanTotal, double PlanToDate, int Actual, string Status, double NeededPerWeek);

/// <summary>Everything the Revenue page shows for the current quarter (docs/guide/plan.md).</summary>
public sealed record RevenueView(Period Quarter, string? Currency, RevenuePlan? Plan, PacingReport? Pacing, IReadOnlyList<StageRow> Stages,
    ForecastReport? Forecast, BacktestResult? Backtest, SnapshotReport? Snapshot, IReadOnlyList<DateOnly> Weeks, double[] PlanCumulative,
    double[] BookedCumulative, int WeeksLeft, DateTime FactsAsOf)
{
    public static async Task<RevenueView> LoadAsync(TandemDb db, InsightStore store, PlanCache cache, PlanOptions options, CancellationToken ct)
    {
        var zone = options.Zone();
        var now = db.UtcNow;
        var quarter = Period.Quarter(Periods.Today(now, zone));
        // The last snapshot of the history, not one that waits for the touches still streaming in: the page answers at once and
        // says how fresh its funnel figures are (decision 0048).
        var facts = await store.LatestAsync(db, ct);
        var factsAsOf = store.AsOf;
        var approved = db.RevenuePlans.Where(p => p.Status == PlanStatus.Approved && p.Period == quarter.Label);
        var plan = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(approved, ct);
        var currency = plan?.Currency ?? FunnelRates.MainCurrency(facts, now);
        var content = plan?.Parsed();
        // The page shows every line added up: pacing runs once over the summed line, not once per line.
        var pacing = content is null ? null : Tandem.Features.Plan.Pacing.Run(content.Summed(), facts, now, zone);
        var stages = pacing is null ? [] : pacing.Stages.Select((s, k) =>
            new StageRow(k, s.Label, s.PlanTotal, s.PlanToDate, s.ActualToDate, s.Status, s.NeededPerWeek)).ToList();

        ForecastReport? forecast = null;
        BacktestResult? backtest = null;
        if (currency is not null)
        {
            DealBook? book = null;
            async Task<DealBook> Book() => book ??= await DealBook.LoadAsync(db, ct);
            forecast = await cache.ForecastAsync($"{currency}/{plan?.Number}/{quarter.Label}", async () =>
                Forecasts.Run(await Book(), currency, quarter, zone, now, plan?.TargetMinor, 10_000, 1, content is null ? null : Forecasts.PlannedSqls(content, zone)));
            backtest = await cache.BacktestAsync(currency, async () => Tandem.Features.Plan.Backtest.Run(await Book(), currency, zone, now));
        }
        var snapshotId = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.PipelineSnapshots.Where(s => s.Period == quarter.Label && s.Kind == SnapshotKind.Auto).Select(s => (int?)s.Id), ct);
        var snapshot = snapshotId is { } id ? await cache.SnapshotAsync(id, () => SnapshotReports.RunAsync(db, id, options, ct)) : null;

        // Bookings week by week against the plan's revenue, both cumulative.
        var weeks = Periods.Weeks(quarter).ToList();
        var planCum = new double[weeks.Count];
        var booked = new double[weeks.Count];
        if (content is not null)
            for (var w = 0; w < content.Weeks; w++)
                if (weeks.IndexOf(content.Week(w)) is var i and >= 0) planCum[i] = content.Lines.Sum(l => l.Weekly[PlanStages.Won][w] * l.MeanWon) / 100;
        var code = currency is not null && facts.Currencies.TryGet(currency, out var c) ? c : -1;
        var starts = weeks.Select(w => Clock.Of(Periods.Utc(w < quarter.Start ? quarter.Start : w, zone))).ToArray();
        var end = Clock.Of(Periods.Utc(quarter.End, zone));
        for (var o = 0; o < facts.OppCount; o++)
        {
            var t = facts.OppClosed[o];
            if (facts.OppOutcome[o] != Outcome.Won || facts.OppCurrency[o] != code || t < starts[0] || t >= end) continue;
            var i = Array.BinarySearch(starts, t);
            booked[i >= 0 ? i : ~i - 1] += facts.OppAmount[o] / 100.0;
        }
        var thisWeek = weeks.FindLastIndex(w => Periods.Utc(w, zone) <= now);
        for (var i = 1; i < weeks.Count; i++) (planCum[i], booked[i]) = (planCum[i] + planCum[i - 1], booked[i] + booked[i - 1]);
        var bookedSoFar = booked.Take(thisWeek + 1).ToArray();
        return new RevenueView(quarter, currency, plan, pacing, stages, forecast, backtest, snapshot, weeks, planCum, bookedSoFar,
            weeks.Count(w => Periods.Utc(w.AddDays(7), zone) > now), factsAsOf);
    }
}
