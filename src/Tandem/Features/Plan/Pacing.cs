using NodaTime;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Plan;

/// <summary>One week of one stage and line: what the plan asked for and what happened.</summary>
public sealed record PaceWeek(DateOnly Week, double Plan, int Actual);

/// <summary>One stage of one line over the plan's period, to date (docs/metrics.md, "Pacing").</summary>
public sealed record StagePace(string Line, string Stage, string Label, double PlanTotal, double PlanToDate, int ActualToDate, double Gap,
    string Status, int WeeksLeft, double NeededPerWeek, IReadOnlyList<PaceWeek> Weeks);

public sealed record PacingReport(string Period, string Currency, DateTime AsOf, long TargetMinor, long BookedMinor, double BookedPlanToDate,
    IReadOnlyList<StagePace> Stages);

/// <summary>
/// Plan against actual, pure. A week's actual at a stage counts people who first reached that stage (or a later one) in the
/// week, as the funnel report does, and for won deals the deals won that week in the plan's currency. "To date" counts the
/// weeks that are over plus the elapsed share of the current one; what is still needed is spread evenly over the weeks not yet
/// over (the current one included). Within ±5 % of plan to date is "on plan".
/// </summary>
public static class Pacing
{
    public const double OnPlanBand = 0.05;

    public static PacingReport Run(PlanContent plan, InsightFacts f, DateTime now, DateTimeZone zone)
    {
        var weeks = plan.PeriodWeeks().ToList();
        var starts = weeks.Select(w => Clock.Of(Periods.Utc(Max(plan.Week(w), plan.PeriodStart), zone))).ToArray();
        var ends = weeks.Select(w => Clock.Of(Periods.Utc(Min(plan.Week(w).AddDays(7), plan.PeriodEnd), zone))).ToArray();
        var at = Clock.Of(now);
        var elapsed = starts.Select((s, n) => at >= ends[n] ? 1.0 : at <= s ? 0 : (double)(at - s) / (ends[n] - s)).ToArray();
        var left = elapsed.Count(e => e < 1);
        var stages = new List<StagePace>();
        var currency = f.Currencies.TryGet(plan.Inputs.Currency, out var code) ? code : -1;
        var byLine = PlanSplit.Of(f, plan.Inputs.Split);
        long booked = 0;
        double bookedPlan = 0;
        foreach (var line in plan.Lines)
        {
            for (var k = 0; k < PlanStages.Count; k++)
            {
                var actual = new int[weeks.Count];
                if (k < PlanStages.Won)
                    for (var i = 0; i < f.PeopleCount; i++)
                    {
                        var t = f.Reached[k][i];
                        if (t != Clock.None && t >= starts[0] && t < ends[^1] && byLine.PersonIn(i, line.Line)) actual[Find(starts, t)]++;
                    }
                else
                    for (var o = 0; o < f.OppCount; o++)
                    {
                        var t = f.OppClosed[o];
                        if (f.OppOutcome[o] != Outcome.Won || f.OppCurrency[o] != currency || t < starts[0] || t >= ends[^1]) continue;
                        if (!byLine.DealIn(o, line.Line)) continue;
                        actual[Find(starts, t)]++;
                        booked += f.OppAmount[o];
                    }
                var plans = weeks.Select(w => line.Weekly[k][w]).ToArray();
                var total = plans.Sum();
                var toDate = plans.Select((p, n) => p * elapsed[n]).Sum();
                if (k == PlanStages.Won) bookedPlan += toDate * line.MeanWon;
                var done = actual.Sum();
                var gap = done - toDate;
                var status = toDate <= 0 ? (done > 0 ? "ahead" : "on plan") : gap > OnPlanBand * toDate ? "ahead" : gap < -OnPlanBand * toDate ? "behind" : "on plan";
                stages.Add(new StagePace(line.Line, PlanStages.Names[k], PlanStages.Labels[k], total, toDate, done, gap, status, left,
                    left == 0 ? 0 : Math.Max(0, total - done) / left, [.. weeks.Select((w, n) => new PaceWeek(plan.Week(w), plans[n], actual[n]))]));
            }
        }
        return new PacingReport(plan.Inputs.Period, plan.Inputs.Currency, now, plan.Inputs.TargetMinor, booked, bookedPlan, stages);
    }

    /// <summary>The people (stages Inquiry–SQL) or won deals (stage Won) behind one number of the pacing: positions in the facts.</summary>
    public static IEnumerable<int> Records(PlanContent plan, InsightFacts f, string line, int stage, DateTime from, DateTime to)
    {
        var (a, b) = (Clock.Of(from), Clock.Of(to));
        var currency = f.Currencies.TryGet(plan.Inputs.Currency, out var code) ? code : -1;
        var byLine = PlanSplit.Of(f, plan.Inputs.Split);
        if (stage < PlanStages.Won)
        {
            for (var i = 0; i < f.PeopleCount; i++)
                if (f.Reached[stage][i] is var t && t != Clock.None && t >= a && t < b && byLine.PersonIn(i, line)) yield return i;
            yield break;
        }
        for (var o = 0; o < f.OppCount; o++)
            if (f.OppOutcome[o] == Outcome.Won && f.OppCurrency[o] == currency && f.OppClosed[o] >= a && f.OppClosed[o] < b && byLine.DealIn(o, line))
                yield return o;
    }

    private static int Find(int[] starts, int t)
    {
        var n = Array.BinarySearch(starts, t);
        return n >= 0 ? n : ~n - 1;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
