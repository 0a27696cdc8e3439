using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>
/// Builds <see cref="ForecastInputs"/> from the deal history as known at a moment (decision 0045): open deals get the
/// <see cref="WinModel"/>'s chance; deals still to be created arrive at the pace of the last 13 weeks (or at the plan's pace
/// scaled by how the period is pacing) and win in time at the rate new deals did in the last year. Pure.
/// </summary>
public static class Forecaster
{
    private const int Day = 86_400, Week = 7 * Day, Year = 365 * Day;
    public const int PaceWeeks = 13;

    /// <param name="knownAmounts">False in the backtest: Tandem keeps no amount history, so a past deal's amount as it stood at a
    /// past week is unknown (a lost deal often ends at 0); every open deal is then valued at the mean won amount known then.</param>
    /// <param name="planned">New deals the plan calls for between two instants, when there is one (its SQL targets).</param>
    public static ForecastInputs Build(DealBook book, string currency, DateTime periodStart, DateTime periodEnd, DateTime at,
        bool knownAmounts = true, Func<DateTime, DateTime, double>? planned = null)
    {
        var (t, start, end) = (Clock.Of(at), Clock.Of(periodStart), Clock.Of(periodEnd));
        var horizon = Math.Max(0, end - t);
        var model = WinModel.Build(book, currency, t, horizon);
        long booked = 0;
        var open = new List<OpenDeal>();
        var won = new List<long>();
        var created = 0;
        for (var i = 0; i < book.Count; i++)
        {
            if (book.Currency[i] != currency) continue;
            if (book.WonIn(i, start, Math.Min(t, end) + 1)) booked += book.Amount[i];
            if (book.WonIn(i, t - Year, t + 1)) won.Add(book.Amount[i]);
            if (book.Created[i] != Clock.None && book.Created[i] <= t && book.Created[i] > t - PaceWeeks * Week) created++;
            if (horizon > 0 && book.OpenAt(i, t))
            {
                var amount = knownAmounts && book.Amount[i] > 0 ? book.Amount[i] : (long?)null;
                open.Add(new OpenDeal(book.Id[i], book.Name[i], book.Owner[i], book.StageName(book.StageAt(i, t)),
                    WinModel.WeekOfAge(t - book.Created[i]), model.Probability(book, i), amount));
            }
        }
        var future = new List<FutureWeek>();
        var pace = created / (double)PaceWeeks;
        var planScale = PlanScale(book, currency, start, t, planned);
        for (var w = Math.Max(t, start); w < end; w += Week)
        {
            var weekStart = Clock.ToDate(w);
            var arrivals = planned is not null ? planned(weekStart, Clock.ToDate(Math.Min(w + Week, end))) * planScale : pace;
            var remaining = end - (w + Math.Min(Week, end - w) / 2); // a deal created mid-week has this long to be won
            future.Add(new FutureWeek(weekStart, arrivals, NewDealWinRate(book, currency, t, remaining)));
        }
        return new ForecastInputs
        {
            Currency = currency, At = at, PeriodStart = periodStart, PeriodEnd = periodEnd, Booked = booked, Open = open,
            Future = future, WonAmounts = [.. won], Slip = model.Slip, ModelSamples = model.Samples,
        };
    }

    /// <summary>Of deals created in the year before <c>t − within</c>, the share won within <paramref name="within"/> of creation.</summary>
    public static double NewDealWinRate(DealBook book, string currency, int t, int within)
    {
        if (within <= 0) return 0;
        long n = 0, w = 0;
        for (var i = 0; i < book.Count; i++)
        {
            var c = book.Created[i];
            if (c == Clock.None || book.Currency[i] != currency || c > t - within || c <= t - within - Year) continue;
            n++;
            if (book.WonIn(i, c, c + within + 1)) w++;
        }
        return n == 0 ? 0 : (double)w / n;
    }

    /// <summary>How the period is pacing against the plan's new deals so far (1 when nothing was planned yet): the plan's
    /// remaining weeks are scaled by it, so a period running at 80 % of plan is expected to go on at 80 %.</summary>
    private static double PlanScale(DealBook book, string currency, int start, int t, Func<DateTime, DateTime, double>? planned)
    {
        if (planned is null || t <= start) return 1;
        var plannedSoFar = planned(Clock.ToDate(start), Clock.ToDate(t));
        if (plannedSoFar <= 0) return 1;
        var actual = 0;
        for (var i = 0; i < book.Count; i++)
            if (book.Currency[i] == currency && book.Created[i] != Clock.None && book.Created[i] >= start && book.Created[i] <= t) actual++;
        return actual / plannedSoFar;
    }
}
