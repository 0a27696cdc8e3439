using NodaTime;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>The forecast of one period as a reader sees it: the inputs' summary, the simulation, and the two baselines.</summary>
public sealed record ForecastReport(string Currency, string Period, DateTime PeriodStart, DateTime PeriodEnd, DateTime At, long? Target,
    long Booked, int OpenDeals, double ExpectedFromOpen, double ExpectedFromNew, double Expected, double WeightedPipeline, double RunRate,
    double Slip, long ModelSamples, SimulationResult Simulation);

/// <summary>The forecast and its backtest over the current deal history (what the API, the CLI and the Revenue page show).</summary>
public static class Forecasts
{
    /// <summary>The currency with the most won revenue in the last year (then overall); null when nothing was ever won.</summary>
    public static string? MainCurrency(DealBook book, DateTime now) =>
        MainCurrency(Enumerable.Range(0, book.Count).Where(i => book.Outcome[i] == Outcome.Won)
            .Select(i => (book.Currency[i], book.Closed[i], book.Amount[i])), now);

    /// <summary>The rule both <see cref="MainCurrency(DealBook, DateTime)"/> and FunnelRates use, over won deals.</summary>
    public static string? MainCurrency(IEnumerable<(string Currency, int Closed, long Amount)> won, DateTime now)
    {
        var since = Clock.Of(now.AddYears(-1));
        var byCurrency = new Dictionary<string, (double Recent, double All)>(StringComparer.Ordinal);
        foreach (var (currency, closed, amount) in won)
        {
            var c = byCurrency.GetValueOrDefault(currency);
            byCurrency[currency] = (c.Recent + (closed >= since ? amount : 0), c.All + amount);
        }
        return byCurrency.OrderByDescending(kv => kv.Value.Recent).ThenByDescending(kv => kv.Value.All).ThenBy(kv => kv.Key)
            .Select(kv => kv.Key).FirstOrDefault();
    }

    public static ForecastReport Run(DealBook book, string currency, Period period, DateTimeZone zone, DateTime now, long? target,
        int runs, int seed, Func<DateTime, DateTime, double>? planned = null)
    {
        var (start, end) = (Periods.Utc(period.Start, zone), Periods.Utc(period.End, zone));
        var at = now < start ? start : now;
        var f = Forecaster.Build(book, currency, start, end, at, knownAmounts: true, planned);
        var sim = MonteCarlo.Run(f, target ?? long.MaxValue, runs, seed);
        var fromOpen = f.Open.Sum(d => d.Probability * (d.Amount ?? f.MeanWon));
        return new ForecastReport(currency, period.Label, start, end, at, target, f.Booked, f.Open.Count, fromOpen, f.Expected - f.Booked - fromOpen,
            f.Expected, Baselines.WeightedPipeline(book, currency, start, end, at, knownAmounts: true), Baselines.RunRate(book, currency, start, end, at),
            f.Slip, f.ModelSamples, target is null ? sim with { PHit = double.NaN } : sim);
    }

    /// <summary>The plan's new deals (its SQL targets, every line) between two instants, spread evenly over each week's days in
    /// the company zone.</summary>
    public static Func<DateTime, DateTime, double> PlannedSqls(PlanContent plan, DateTimeZone zone) => (from, to) =>
    {
        double sum = 0;
        for (var w = 0; w < plan.Weeks; w++)
        {
            var (a, b) = (Periods.Utc(plan.Week(w), zone), Periods.Utc(plan.Week(w).AddDays(7), zone));
            var overlap = (Math.Min(b.Ticks, to.Ticks) - Math.Max(a.Ticks, from.Ticks)) / (double)(b.Ticks - a.Ticks);
            if (overlap > 0) sum += overlap * plan.Lines.Sum(l => l.Weekly[PlanStages.Won - 1][w]);
        }
        return sum;
    };
}
