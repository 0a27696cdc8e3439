using System.Globalization;
using Tandem.Features.Handoffs;

namespace Tandem.Components.Handoff;

/// <summary>"due in 2h 15m" / "overdue by 1d 3h": what the queue shows; handoff.js keeps it ticking in the browser.</summary>
public static class Countdown
{
    public static string Text(DateTime due, DateTime now)
    {
        var left = due - now;
        var span = left.Duration();
        var words = span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m" : $"{Math.Max(span.Minutes, 0)}m";
        return left >= TimeSpan.Zero ? $"due in {words}" : $"overdue by {words}";
    }

    /// <summary>The instant as JavaScript reads it (ISO 8601, UTC).</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Css(SlaStatus s) => s switch
    {
        SlaStatus.Breached => "sla sla-breached",
        SlaStatus.DueSoon => "sla sla-due-soon",
        SlaStatus.Met => "sla sla-met",
        SlaStatus.MetLate => "sla sla-met-late",
        _ => "sla sla-on-track",
    };

    public static string Label(SlaStatus s) => s switch
    {
        SlaStatus.OnTrack => "on track",
        SlaStatus.DueSoon => "due soon",
        SlaStatus.Breached => "breached",
        SlaStatus.MetLate => "met late (breached)",
        _ => "met",
    };
}
