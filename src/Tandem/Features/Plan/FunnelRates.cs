using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>One stage-to-stage conversion of one plan line, with the evidence behind it.</summary>
public sealed record RateEvidence(double Rate, int Sample, int Converted, int HorizonDays, DateTime CohortFrom, DateTime CohortTo);

/// <summary>What history says about one plan line (a channel, or everything): conversions, the mean won amount, cost per SQL,
/// and its share of won revenue.</summary>
public sealed record LineHistory(string Line, RateEvidence[] Rates, double? MeanWon, int WonDeals, double RevenueShare, double? CostPerSql);

/// <summary>What history says about the funnel, per line, with the lags between stages as weekly distributions (pooled over
/// lines: per-channel samples of lags are thin).</summary>
public sealed record FunnelHistory(string Currency, DateTime AsOf, int WindowDays, IReadOnlyList<LineHistory> Lines, double[][] Lags,
    int[] LagSamples, LineHistory? Pooled = null);

/// <summary>
/// The company's own rates and lags for the plan (methods.md, decision 0046). A conversion k → k+1 is measured on the cohort
/// that reached stage k in a trailing window that ends one maturity horizon before now, counting conversions within that
/// horizon: recent cohorts have not had time to convert and would make every rate look worse (lag bias). The horizon is the
/// 95th percentile of the observed lag of that transition (7 to 365 days). Pure over <see cref="InsightFacts"/>.
/// </summary>
public static class FunnelRates
{
    public const string All = "All";
    private const int Day = 86_400;
    public const int MaxLagWeeks = 52;


    /// <summary>The currency with the most won revenue in the last year (then overall); null when nothing was ever won.</summary>
    public static string? MainCurrency(InsightFacts f, DateTime now) =>
        Forecasts.MainCurrency(Enumerable.Range(0, f.OppCount).Where(i => f.OppOutcome[i] == Outcome.Won)
            .Select(i => (f.Currencies[f.OppCurrency[i]], f.OppClosed[i], f.OppAmount[i])), now);

    public static FunnelHistory Measure(InsightFacts f, string currency, DateTime asOf, int windowDays = 365, string split = PlanSplit.None)
    {
        var now = Clock.Of(asOf);
        var lags = new double[PlanStages.Won][];
        var lagSamples = new int[PlanStages.Won];
        var horizons = new int[PlanStages.Won];
        for (var k = 0; k < PlanStages.Won; k++) (lags[k], lagSamples[k], horizons[k]) = Lags(f, k, now);
        var byLine = PlanSplit.Of(f, split);
        var isSplit = split != PlanSplit.None;
        var lines = isSplit ? byLine.Lines.Prepend(All).ToList() : [All];
        var window = windowDays * Day;
        var won = WonByLine(f, byLine, currency, now - window, now);
        var total = won.Values.Sum(w => w.Sum);
        var cost = CostByLine(f, currency, Clock.ToDate(now - window), asOf, split);
        var result = new List<LineHistory>();
        foreach (var line in lines)
        {
            var rates = new RateEvidence[PlanStages.Won];
            for (var k = 0; k < PlanStages.Won; k++) rates[k] = Rate(f, byLine, k, line, now, window, horizons[k]);
            var w = won.GetValueOrDefault(line);
            var sqls = Count(f, byLine, PlanStages.Won - 1, line, now - window, now);
            result.Add(new LineHistory(line, rates, w.N == 0 ? null : w.Sum / w.N, w.N, total <= 0 ? 0 : w.Sum / total,
                cost.TryGetValue(line, out var c) && sqls > 0 ? c / sqls : null));
        }
        // Split by channel, the pooled line is kept aside: a channel too thin to measure borrows from it (decision 0046).
        return isSplit
            ? new FunnelHistory(currency, asOf, windowDays, result.Skip(1).ToList(), lags, lagSamples, result[0])
            : new FunnelHistory(currency, asOf, windowDays, result, lags, lagSamples);
    }

    private static RateEvidence Rate(InsightFacts f, PlanSplit byLine, int k, string line, int now, int window, int horizon)
    {
        var (to, from) = (now - horizon, now - horizon - window);
        int n = 0, c = 0;
        var (from_, to_) = (f.Reached[k], f.Reached[k + 1]);
        for (var i = 0; i < f.PeopleCount; i++)
        {
            var t = from_[i];
            if (t == Clock.None || t < from || t >= to || !byLine.PersonIn(i, line)) continue;
            n++;
            if (to_[i] != Clock.None && to_[i] - t <= horizon) c++;
        }
        return new RateEvidence(n == 0 ? 0 : (double)c / n, n, c, horizon / Day, Clock.ToDate(from), Clock.ToDate(to));
    }

    private static int Count(InsightFacts f, PlanSplit byLine, int k, string line, int from, int to)
    {
        var n = 0;
        for (var i = 0; i < f.PeopleCount; i++)
            if (f.Reached[k][i] is var t && t != Clock.None && t >= from && t < to && byLine.PersonIn(i, line)) n++;
        return n;
    }

    /// <summary>The weekly distribution of the lag k → k+1 among people who made it, its sample, and its 95th percentile (the
    /// maturity horizon).</summary>
    private static (double[] Pmf, int Samples, int Horizon) Lags(InsightFacts f, int k, int now)
    {
        var days = new List<int>();
        for (var i = 0; i < f.PeopleCount; i++)
        {
            var (a, b) = (f.Reached[k][i], f.Reached[k + 1][i]);
            if (a != Clock.None && b != Clock.None && b >= a && b <= now) days.Add((b - a) / Day);
        }
        days.Sort();
        var p95 = days.Count == 0 ? 90 : days[Math.Min(days.Count - 1, (int)Math.Ceiling(0.95 * days.Count) - 1)];
        var horizon = Math.Clamp(p95 + 1, 7, 365);
        var pmf = new double[MaxLagWeeks + 1];
        var kept = days.Where(d => d <= horizon).ToList();
        foreach (var d in kept) pmf[Math.Min(d / 7, MaxLagWeeks)] += 1.0 / kept.Count;
        if (kept.Count == 0) pmf[0] = 1; // no evidence: no lag rather than an invented one; the rate's sample of 0 is reported
        return (pmf, days.Count, horizon * Day);
    }

    private static Dictionary<string, (double Sum, int N)> WonByLine(InsightFacts f, PlanSplit byLine, string currency, int from, int to)
    {
        var result = new Dictionary<string, (double Sum, int N)>(StringComparer.Ordinal);
        if (!f.Currencies.TryGet(currency, out var code)) return result;
        for (var i = 0; i < f.OppCount; i++)
        {
            if (f.OppOutcome[i] != Outcome.Won || f.OppCurrency[i] != code || f.OppClosed[i] < from || f.OppClosed[i] >= to) continue;
            var line = byLine.OfDeal(i);
            var w = result.GetValueOrDefault(line);
            result[line] = (w.Sum + f.OppAmount[i], w.N + 1);
        }
        return result;
    }

    /// <summary>Campaign cost per line: campaigns have a channel, so cost splits by channel (or not at all); by any other field
    /// the lines' cost is unknown.</summary>
    private static Dictionary<string, double> CostByLine(InsightFacts f, string currency, DateTime from, DateTime to, string split)
    {
        var q = new InsightQuery { From = from, To = to };
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (split is not (PlanSplit.None or "channel")) return result;
        var byChannel = split == "channel";
        foreach (var c in f.Campaigns.Where(c => c.Currency.Equals(currency, StringComparison.OrdinalIgnoreCase)))
        {
            var line = byChannel ? c.Channel.ToString() : All;
            result[line] = result.GetValueOrDefault(line) + ChannelsReport.CostIn(c, q);
        }
        return result;
    }
}
