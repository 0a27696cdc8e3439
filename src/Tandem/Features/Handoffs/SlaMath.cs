namespace Tandem.Features.Handoffs;

/// <summary>What one lead contributes to the SLA figures (docs/metrics.md, "Sales SLA").</summary>
public enum SlaOutcome { Pending, Met, Breached }

/// <summary>The SLA report's arithmetic, pure.</summary>
public static class SlaMath
{
    /// <summary>Met when every deadline that has come due (or was settled) was kept; breached when any was missed; pending
    /// while nothing has come due yet. Pending leads are left out of the compliance rate, not counted as met.</summary>
    public static SlaOutcome Outcome(ISlaTimes h, DateTime now)
    {
        if (h.BreachedMask != 0 || SlaClock.All.Any(d => SlaClock.Missed(h, d, now))) return SlaOutcome.Breached;
        return SlaClock.All.Any(d => SlaClock.Met(h, d)) ? SlaOutcome.Met : SlaOutcome.Pending;
    }

    /// <summary>The promises missed (kept late, not kept by a deadline now passed, or recorded as breached), as bits.</summary>
    public static SlaDeadline BreachedClauses(ISlaTimes h, DateTime now)
    {
        var bits = h.BreachedMask;
        foreach (var d in SlaClock.All)
            if (SlaClock.Missed(h, d, now)) bits |= (int)d;
        return (SlaDeadline)bits;
    }

    /// <summary>"2 Mar": a week by its Monday, short enough for a table's first column (the full date goes in a tooltip).</summary>
    public static string WeekLabel(DateOnly monday) => monday.ToString("d MMM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Nearest-rank percentile (p in 0..1) of unsorted values; null for none.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="t"/>.</summary>
    public static DateOnly WeekOf(DateTime t)
    {
        var d = DateOnly.FromDateTime(t);
        return d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
    }
}
