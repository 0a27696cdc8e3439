using System.Globalization;
using Tandem.Features.Insight;

namespace Tandem.Components.Insight;

/// <summary>What the Win/loss page draws: reasons as bars per kind (summed over segments), and the win rate month by month.</summary>
public static class WinLossCharts
{
    public sealed record Point(string Month, double Rate, string? Href);

    /// <summary>The months to chart: those of the period, or the last 12 up to now when the period is open; at most 24.</summary>
    public static List<DateTime> Months(DateTime? from, DateTime? to, DateTime now)
    {
        var end = to ?? now;
        var last = new DateTime(end.Year, end.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        if (to is { } t && t == last) last = last.AddMonths(-1); // an exclusive end on the 1st does not include that month
        var first = from is { } f ? new DateTime(f.Year, f.Month, 1, 0, 0, 0, DateTimeKind.Utc) : last.AddMonths(-11);
        if (first < last.AddMonths(-23)) first = last.AddMonths(-23);
        var months = new List<DateTime>();
        for (var m = first; m <= last; m = m.AddMonths(1)) months.Add(m);
        return months;
    }

    public static string Label(DateTime month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Won ÷ (won + lost) over every currency row of a month's deals report; null when nothing closed won or lost.
    /// The drill opens the closed deals when there is one row (one currency), which is the usual case.</summary>
    public static Point? Rate(InsightTable deals, DateTime month)
    {
        var (wi, li, ri) = (deals.IndexOf("won"), deals.IndexOf("lost"), deals.IndexOf("winRate"));
        var won = deals.Rows.Sum(r => r.Values[wi] ?? 0);
        var lost = deals.Rows.Sum(r => r.Values[li] ?? 0);
        if (won + lost == 0) return null;
        var href = deals.Rows.Count == 1 ? InsightPageBase.PageLink(deals.Rows[0].Drill[ri]) : null;
        return new Point(Label(month), won / (won + lost), href);
    }

    /// <summary>Per kind of reason (lost, no decision, rejected, disqualified), its reasons as bars, most frequent first.
    /// Counts are summed over the segments of a split; a bar drills only when the report is unsplit (one segment).</summary>
    public static List<(string Kind, List<Bar> Bars)> ReasonBars(InsightTable? reasons)
    {
        if (reasons is null) return [];
        var (ci, single) = (reasons.IndexOf("count"), reasons.Rows.Select(r => r.Keys[0]).Distinct().Count() == 1);
        return reasons.Rows.GroupBy(r => r.Keys[1])
            .Select(kind => (kind.Key, kind.GroupBy(r => r.Keys[2])
                .Select(g => (Reason: g.Key, Count: g.Sum(r => r.Values[ci] ?? 0), Href: single ? InsightPageBase.PageLink(g.First().Drill[ci]) : null))
                .OrderByDescending(x => x.Count).ThenBy(x => x.Reason, StringComparer.Ordinal)
                .Select(x => new Bar(x.Reason, x.Count, x.Count.ToString("N0", CultureInfo.InvariantCulture), x.Href)).ToList()))
            .ToList();
    }
}
