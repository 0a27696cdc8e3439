using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>The two forecasts Tandem's is judged against in the backtest (methods.md), as known at a moment. Pure.</summary>
public static class Baselines
{
    private const int Day = 86_400;

    /// <summary>Booked so far plus every open deal's amount times its stage's historical win rate: what CRMs call weighted
    /// pipeline. A stage's rate is the share won among deals closed by then that were recorded in that stage; deals with no
    /// recorded stage use the overall win rate. Amounts as in <see cref="Forecaster.Build"/>.</summary>
    public static double WeightedPipeline(DealBook book, string currency, DateTime periodStart, DateTime periodEnd, DateTime at, bool knownAmounts)
    {
        var (t, start, end) = (Clock.Of(at), Clock.Of(periodStart), Clock.Of(periodEnd));
        var won = new Dictionary<int, (int Won, int Closed)>();
        int allWon = 0, allClosed = 0;
        double booked = 0, wonSum = 0;
        var wonN = 0;
        for (var i = 0; i < book.Count; i++)
        {
            if (book.Currency[i] != currency || book.Closed[i] == Clock.None || book.Closed[i] > t) continue;
            var isWon = book.Outcome[i] == Data.Outcome.Won;
            allClosed++;
            if (isWon) { allWon++; wonSum += book.Amount[i]; wonN++; }
            if (isWon && book.Closed[i] >= start && book.Closed[i] < end) booked += book.Amount[i];
            foreach (var stage in book.StagesOf(i))
            {
                var c = won.GetValueOrDefault(stage);
                won[stage] = (c.Won + (isWon ? 1 : 0), c.Closed + 1);
            }
        }
        var overall = allClosed == 0 ? 0 : (double)allWon / allClosed;
        var mean = wonN == 0 ? 0 : wonSum / wonN;
        var pipeline = 0.0;
        for (var i = 0; i < book.Count; i++)
        {
            if (book.Currency[i] != currency || t >= end || !book.OpenAt(i, t)) continue;
            var stage = book.StageAt(i, t);
            var p = stage >= 0 && won.TryGetValue(stage, out var s) && s.Closed > 0 ? (double)s.Won / s.Closed : overall;
            pipeline += p * (knownAmounts && book.Amount[i] > 0 ? book.Amount[i] : mean);
        }
        return booked + pipeline;
    }

    /// <summary>Booked so far plus the last 13 weeks' bookings per day, times the days left.</summary>
    public static double RunRate(DealBook book, string currency, DateTime periodStart, DateTime periodEnd, DateTime at)
    {
        var (t, start, end) = (Clock.Of(at), Clock.Of(periodStart), Clock.Of(periodEnd));
        const int window = Forecaster.PaceWeeks * 7 * Day;
        double booked = 0, recent = 0;
        for (var i = 0; i < book.Count; i++)
        {
            if (book.Currency[i] != currency) continue;
            if (book.WonIn(i, start, Math.Min(t, end) + 1)) booked += book.Amount[i];
            if (book.WonIn(i, t - window + 1, t + 1)) recent += book.Amount[i];
        }
        return booked + recent / window * Math.Max(0, end - t);
    }
}
