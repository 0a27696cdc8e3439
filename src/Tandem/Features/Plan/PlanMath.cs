namespace Tandem.Features.Plan;

/// <summary>One line of a plan (a channel, or everything) with the numbers the walk needs: its share of the target, the mean
/// won amount, and the four conversions Inquiry→MQL, MQL→SAL, SAL→SQL, SQL→Won.</summary>
public sealed record PlanLine(string Line, double Share, double MeanWon, double[] Rates, double? CostPerSql);

/// <summary>Targets per line, stage and week: <c>Targets[line][stage][week]</c>, week 0 being <see cref="FirstWeek"/> (which may
/// come before the period: SQLs for the first weeks' closes are needed earlier).</summary>
public sealed record PlanGrid(DateOnly FirstWeek, IReadOnlyList<string> Lines, double[][][] Targets)
{
    public int Weeks => Targets.Length == 0 ? 0 : Targets[0][0].Length;

    public DateOnly Week(int w) => FirstWeek.AddDays(7 * w);

    public double Total(int line, int stage) => Targets[line][stage].Sum();

    public double Total(int stage) => Targets.Sum(t => t[stage].Sum());
}

/// <summary>
/// The reverse waterfall with lags (methods.md), pure. Deals per line = target × (1 + buffer) × share / mean won amount; they
/// are spread over the period's weeks by days; each stage's weekly need is then spread back over earlier weeks by the
/// empirical lag distribution and divided by the conversion rate (a discrete deconvolution, decision 0046). Every step
/// keeps totals, so running the targets forward through the same rates and lags gives back the target (<see cref="Forward"/>).
/// </summary>
public static class PlanMath
{
    public static PlanGrid Walk(long targetMinor, double buffer, IReadOnlyList<PlanLine> lines, double[][] lags, Period period)
    {
        var lead = lags.Sum(LastWeek); // the longest way from Inquiry to Won, in weeks
        var firstPeriodWeek = Periods.WeekOf(period.Start);
        var first = firstPeriodWeek.AddDays(-7 * lead);
        var weeks = lead + Periods.Weeks(period).Count();
        var targets = new double[lines.Count][][];
        for (var l = 0; l < lines.Count; l++)
        {
            var line = lines[l];
            var t = targets[l] = [.. Enumerable.Range(0, PlanStages.Count).Select(_ => new double[weeks])];
            var deals = targetMinor * (1 + buffer) * line.Share / line.MeanWon;
            var w = lead;
            foreach (var monday in Periods.Weeks(period))
            {
                var days = Math.Min(period.End.DayNumber, monday.DayNumber + 7) - Math.Max(period.Start.DayNumber, monday.DayNumber);
                t[PlanStages.Won][w++] = deals * days / period.Days;
            }
            for (var k = PlanStages.Won - 1; k >= 0; k--)
            for (var week = 0; week < weeks; week++)
            {
                var need = t[k + 1][week] / line.Rates[k];
                if (need == 0) continue;
                for (var lag = 0; lag < lags[k].Length && lag <= week; lag++) t[k][week - lag] += need * lags[k][lag];
            }
        }
        return new PlanGrid(first, [.. lines.Select(l => l.Line)], targets);
    }

    /// <summary>The won deals per line and week that the Inquiry targets lead to, through the same rates and lags.</summary>
    public static double[][] Forward(PlanGrid grid, IReadOnlyList<PlanLine> lines, double[][] lags)
    {
        var result = new double[lines.Count][];
        for (var l = 0; l < lines.Count; l++)
        {
            var level = (double[])grid.Targets[l][0].Clone();
            for (var k = 0; k < PlanStages.Won; k++)
            {
                var next = new double[level.Length + lags[k].Length];
                for (var week = 0; week < level.Length; week++)
                for (var lag = 0; lag < lags[k].Length; lag++) next[week + lag] += level[week] * lines[l].Rates[k] * lags[k][lag];
                level = next;
            }
            result[l] = level;
        }
        return result;
    }

    /// <summary>Revenue the plan's Inquiries lead to: forward won deals times each line's mean won amount (minor units).</summary>
    public static double ForwardRevenue(PlanGrid grid, IReadOnlyList<PlanLine> lines, double[][] lags)
    {
        var won = Forward(grid, lines, lags);
        return lines.Select((line, l) => won[l].Sum() * line.MeanWon).Sum();
    }

    /// <summary>What the plan's SQLs cost per line at its cost per SQL (null where cost is unknown).</summary>
    public static double? Budget(PlanGrid grid, int line, PlanLine input) =>
        input.CostPerSql is { } c ? grid.Total(line, PlanStages.Won - 1) * c : null;

    /// <summary>What <paramref name="budgetMinor"/> spent on a line buys in won revenue, at its cost per SQL, SQL→Won rate and
    /// mean won amount (null where cost is unknown).</summary>
    public static double? Buys(double budgetMinor, PlanLine line) =>
        line.CostPerSql is > 0 and var c ? budgetMinor / c * line.Rates[PlanStages.Won - 1] * line.MeanWon : null;

    private static int LastWeek(double[] pmf)
    {
        for (var i = pmf.Length - 1; i > 0; i--) if (pmf[i] > 0) return i;
        return 0;
    }
}
