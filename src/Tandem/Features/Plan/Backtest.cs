using NodaTime;

namespace Tandem.Features.Plan;

/// <summary>One frozen forecast: quarter, week of quarter (0 = its first day), the three forecasts and what happened.</summary>
public sealed record BacktestPoint(string Quarter, int Week, DateTime FrozenAt, double Actual, double Tandem, double Weighted, double RunRate);

/// <summary>WAPE = Σ|F−A| / ΣA; bias = mean((F−A)/A), positive for happy ears, negative for sandbagging; within = share of
/// forecasts within ±10 % of the actual (docs/metrics.md).</summary>
public sealed record Accuracy(double Wape, double Bias, double Within10, int Points)
{
    public static Accuracy Of(IReadOnlyList<(double Forecast, double Actual)> pairs)
    {
        var sumA = pairs.Sum(p => p.Actual);
        var valid = pairs.Where(p => p.Actual > 0).ToList();
        return new Accuracy(
            sumA <= 0 ? double.NaN : pairs.Sum(p => Math.Abs(p.Forecast - p.Actual)) / sumA,
            valid.Count == 0 ? double.NaN : valid.Average(p => (p.Forecast - p.Actual) / p.Actual),
            valid.Count == 0 ? double.NaN : valid.Count(p => Math.Abs(p.Forecast - p.Actual) <= 0.1 * p.Actual) / (double)valid.Count,
            pairs.Count);
    }
}

public sealed record BacktestWeek(int Week, Accuracy Tandem, Accuracy Weighted, Accuracy RunRate);

public sealed record BacktestResult(string Currency, IReadOnlyList<string> Quarters, Accuracy Tandem, Accuracy Weighted, Accuracy RunRate,
    IReadOnlyList<BacktestWeek> ByWeek, IReadOnlyList<BacktestPoint> Points);

/// <summary>
/// The rolling-origin backtest (methods.md): for each past quarter, the forecast is frozen at the start of each of its weeks
/// using only what was known then, and scored against the quarter's actual bookings, beside the weighted-pipeline and
/// run-rate baselines. A quarter takes part when it is over, something was won in it and deals had closed before it.
/// Pure over a <see cref="DealBook"/>.
/// </summary>
public static class Backtest
{
    public static BacktestResult Run(DealBook book, string currency, DateTimeZone zone, DateTime now, int maxQuarters = 8)
    {
        var quarters = Quarters(book, currency, zone, now, maxQuarters);
        var points = new List<BacktestPoint>();
        foreach (var q in quarters)
        {
            var (start, end) = (Periods.Utc(q.Start, zone), Periods.Utc(q.End, zone));
            var actual = Actual(book, currency, start, end);
            var week = 0;
            for (var day = q.Start; day < q.End; day = day.AddDays(7), week++)
            {
                var at = Periods.Utc(day, zone);
                var tandem = Forecaster.Build(book, currency, start, end, at, knownAmounts: false).Expected;
                points.Add(new BacktestPoint(q.Label, week, at, actual, tandem,
                    Baselines.WeightedPipeline(book, currency, start, end, at, knownAmounts: false),
                    Baselines.RunRate(book, currency, start, end, at)));
            }
        }
        var byWeek = points.GroupBy(p => p.Week).OrderBy(g => g.Key).Select(g => new BacktestWeek(g.Key, Score(g, p => p.Tandem),
            Score(g, p => p.Weighted), Score(g, p => p.RunRate))).ToList();
        return new BacktestResult(currency, [.. quarters.Select(q => q.Label)], Score(points, p => p.Tandem), Score(points, p => p.Weighted),
            Score(points, p => p.RunRate), byWeek, points);
    }

    private static Accuracy Score(IEnumerable<BacktestPoint> points, Func<BacktestPoint, double> forecast) =>
        Accuracy.Of([.. points.Select(p => (forecast(p), p.Actual))]);

    public static double Actual(DealBook book, string currency, DateTime start, DateTime end)
    {
        var (s, e) = (Insight.Clock.Of(start), Insight.Clock.Of(end));
        double sum = 0;
        for (var i = 0; i < book.Count; i++)
            if (book.Currency[i] == currency && book.WonIn(i, s, e)) sum += book.Amount[i];
        return sum;
    }

    /// <summary>The last <paramref name="max"/> quarters that are over, had bookings, and had deals closed before them.</summary>
    public static List<Period> Quarters(DealBook book, string currency, DateTimeZone zone, DateTime now, int max)
    {
        var result = new List<Period>();
        var closed = Enumerable.Range(0, book.Count).Where(i => book.Currency[i] == currency && book.Closed[i] != Insight.Clock.None)
            .Select(i => book.Closed[i]).DefaultIfEmpty(Insight.Clock.None).ToArray();
        if (closed[0] == Insight.Clock.None) return result;
        var first = closed.Min();
        for (var q = Period.Quarter(Periods.Today(now, zone)).Previous(); result.Count < max; q = q.Previous())
        {
            var (start, end) = (Periods.Utc(q.Start, zone), Periods.Utc(q.End, zone));
            if (Insight.Clock.Of(start) <= first) break;
            if (Actual(book, currency, start, end) > 0) result.Add(q);
        }
        result.Reverse();
        return result;
    }
}
