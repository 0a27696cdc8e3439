namespace Tandem.Features.Cadence;

/// <summary>One line of "what changed": a figure in both records and its movement.</summary>
public sealed record DiffLine(string Section, string Item, string Before, string After, string Change);

/// <summary>"What changed since last week": two records compared figure by figure, pure.</summary>
public static class SyncDiff
{
    public static IReadOnlyList<DiffLine> Of(SyncDocument before, SyncDocument after)
    {
        var lines = new List<DiffLine>();
        var old = before.Scorecard.Kpis.ToDictionary(k => k.Key);
        foreach (var k in after.Scorecard.Kpis)
        {
            var b = old.GetValueOrDefault(k.Key);
            var (bv, av) = (b?.Value, k.Value);
            var change = b is null ? "new KPI" : bv is { } x && av is { } y ? Delta(k.Unit, y - x) : bv == av ? "no change" : "no data in one week";
            if (b is not null && b.Status != k.Status) change += $"; {SyncOutline.Status(b.Status)} → {SyncOutline.Status(k.Status)}";
            lines.Add(new DiffLine("Scorecard", k.Name, b is null ? "—" : SyncOutline.Value(b.Unit, bv), SyncOutline.Value(k.Unit, av), change));
        }
        foreach (var k in before.Scorecard.Kpis.Where(k => after.Scorecard.Kpis.All(a => a.Key != k.Key)))
            lines.Add(new DiffLine("Scorecard", k.Name, SyncOutline.Value(k.Unit, k.Value), "—", "KPI removed"));
        void Count(string section, string item, int b, int a) => lines.Add(new DiffLine(section, item, $"{b}", $"{a}", Delta("count", a - b)));
        Count("SLA", "Leads handed to sales", before.Sla.Leads, after.Sla.Leads);
        Count("SLA", "Breached", before.Sla.Breached, after.Sla.Breached);
        Count("Rejections", "Leads rejected", before.Rejections.Total, after.Rejections.Total);
        Count("Anecdotes", "Leads that progressed", before.ProgressedTotal, after.ProgressedTotal);
        Count("Anecdotes", "Leads that stalled", before.StalledTotal, after.StalledTotal);
        Count("Questions heard", "Field notes", before.Heard.Count, after.Heard.Count);
        Count("Wins", "Deals won", before.Wins.Count, after.Wins.Count);
        Count("Actions", "Open actions carried over", before.Actions.CarriedOver.Count, after.Actions.CarriedOver.Count);
        return lines;
    }

    private static string Delta(string unit, double d) => Math.Abs(d) < 1e-9 ? "no change"
        : (d > 0 ? "up " : "down ") + SyncOutline.Value(unit == "percent" ? "count" : unit, Math.Abs(d)) + (unit == "percent" ? " points" : "");
}
