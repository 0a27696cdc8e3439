namespace Tandem.Features.Handoffs;

/// <summary>One reason's row of the pivot: its count per channel (indexed like <see cref="RejectionPivot.Channels"/>).</summary>
public sealed record PivotRow(string Reason, string Label, IReadOnlyList<int> Counts, int Total);

/// <summary>
/// Rejections as reason × channel: the SLA dashboard's compact view of the report's reason × channel × campaign rows
/// (issue 13: a 6,000 px flat list said less than a 10-row grid). Campaigns are summed away here; a cell's drill-down
/// still lists the leads, and their campaigns, behind it.
/// </summary>
/// <param name="Channels">Only channels with at least one rejection, most rejections first; "Unknown" always last.</param>
public sealed record RejectionPivot(IReadOnlyList<string> Channels, IReadOnlyList<PivotRow> Rows, IReadOnlyList<int> ChannelTotals, int Total)
{
    public const string UnknownChannel = "Unknown";

    /// <summary>Pure: folds the report's rows (any order, campaigns repeated) into the grid; reasons with most rejections first.</summary>
    public static RejectionPivot From(IEnumerable<RejectionRow> rows)
    {
        var list = rows.Where(r => r.Count > 0).ToList();
        var channels = list.GroupBy(r => r.Channel).Select(g => (Channel: g.Key, Count: g.Sum(r => r.Count)))
            .OrderBy(c => c.Channel == UnknownChannel ? 1 : 0).ThenByDescending(c => c.Count).ThenBy(c => c.Channel, StringComparer.Ordinal)
            .Select(c => c.Channel).ToList();
        var column = channels.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var pivotRows = list.GroupBy(r => r.Reason).Select(g =>
        {
            var counts = new int[channels.Count];
            foreach (var r in g) counts[column[r.Channel]] += r.Count;
            return new PivotRow(g.Key, g.First().Label, counts, counts.Sum());
        }).OrderByDescending(r => r.Total).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        var totals = channels.Select((_, i) => pivotRows.Sum(r => r.Counts[i])).ToList();
        return new RejectionPivot(channels, pivotRows, totals, totals.Sum());
    }
}
