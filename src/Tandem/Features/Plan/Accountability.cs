namespace Tandem.Features.Plan;

public enum DealFate { Won, Lost, Pushed, Open, Removed }

/// <summary>One rep in one quarter's automatic snapshot: the deals they committed and what became of them.</summary>
public sealed record RepQuarter(string Period, int Deals, int Pushed, IReadOnlySet<int> Committed, IReadOnlySet<int> PushedIds, bool Over);

/// <summary>Whether a rep's committed pipeline churns, and why (docs/metrics.md, "Pipeline accountability").</summary>
public sealed record RepFlag(bool Flagged, string Why);

/// <summary>
/// Pipeline accountability, pure. A deal committed in a quarter's snapshot is won or lost if it closed before the quarter ended,
/// pushed if it is still open past the quarter's end (or expected after it) or closed only after it, open otherwise. A rep is
/// flagged when, for two consecutive finished quarters, at least <see cref="PushedShare"/> of their snapshot was pushed and at
/// least <see cref="Churn"/> of those pushed deals were missing from the next quarter's snapshot: the "hot prospects" are
/// different at each quarter's start while nothing moves.
/// </summary>
public static class Accountability
{
    public const double PushedShare = 0.4, Churn = 0.5;

    public static DealFate Fate(Data.Outcome? outcome, DateTime? closedAt, DateTime? expectedClose, DateTime quarterEnd, DateTime now)
    {
        if (outcome is null) return DealFate.Removed;
        if (outcome != Data.Outcome.Open)
            return closedAt < quarterEnd ? (outcome == Data.Outcome.Won ? DealFate.Won : DealFate.Lost) : DealFate.Pushed;
        return now >= quarterEnd || expectedClose >= quarterEnd ? DealFate.Pushed : DealFate.Open;
    }

    /// <summary>The flag for one rep from their quarters, oldest first (automatic snapshots only).</summary>
    public static RepFlag Flag(IReadOnlyList<RepQuarter> quarters)
    {
        var reasons = new List<string>();
        var streak = 0;
        for (var q = 0; q + 1 < quarters.Count; q++)
        {
            var (a, b) = (quarters[q], quarters[q + 1]);
            if (!a.Over || a.Deals == 0 || Period.Parse(a.Period)?.Next().Label != b.Period) { streak = 0; reasons.Clear(); continue; }
            var pushedShare = (double)a.Pushed / a.Deals;
            var dropped = a.PushedIds.Count(id => !b.Committed.Contains(id));
            var churn = a.Pushed == 0 ? 0 : (double)dropped / a.Pushed;
            if (pushedShare >= PushedShare && churn >= Churn)
            {
                streak++;
                reasons.Add($"in {a.Period}, {a.Pushed} of {a.Deals} committed deals were pushed ({pushedShare * 100:0} %) and {dropped} of those {a.Pushed} were not committed again in {b.Period}");
                if (streak >= 2) return new RepFlag(true, "Flagged: " + string.Join("; ", reasons.TakeLast(2)) + ".");
            }
            else { streak = 0; reasons.Clear(); }
        }
        return new RepFlag(false, quarters.Count(x => x.Over) < 2
            ? "Not enough finished quarters with snapshots to judge yet."
            : "Committed deals close or carry over as committed.");
    }
}
