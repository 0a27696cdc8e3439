using Tandem.Features.Calendars;

namespace Tandem.Features.Handoffs;

/// <summary>
/// The SLA arithmetic, pure: deadlines from the terms and the assignee's calendar, which deadlines are met, missed or
/// still running, and the status a rep sees. A decision (accept, convert or reject) settles every deadline not yet passed.
/// </summary>
public static class SlaClock
{
    public static readonly SlaDeadline[] All = [SlaDeadline.FirstTouch, SlaDeadline.Attempts, SlaDeadline.Decision];

    /// <summary>Sets terms and deadlines on <paramref name="h"/>, counted from <paramref name="start"/> in <paramref name="calendar"/>.</summary>
    public static void Start(Handoff h, SlaSection terms, BusinessCalendar calendar, DateTime start)
    {
        h.AssignedAt = start;
        h.FirstTouchHours = terms.FirstTouchHours;
        h.MinAttempts = terms.MinAttempts;
        h.FirstTouchDue = calendar.AddBusinessHours(start, terms.FirstTouchHours);
        h.AttemptsDue = calendar.AddBusinessDays(start, terms.AttemptDays);
        h.DecideDue = calendar.AddBusinessDays(start, terms.DecideDays);
        h.NextDeadline = Next(h);
    }

    /// <summary>
    /// A reassignment: the new rep gets the full time for every promise not yet kept, counted from <paramref name="now"/> in
    /// their calendar (decision 0081). Promises already kept stay kept; breaches already recorded stay on the lead (the mask
    /// keeps them from being recorded twice), so the lead's history does not forget them.
    /// </summary>
    public static void Restart(Handoff h, SlaSection terms, BusinessCalendar calendar, DateTime now)
    {
        h.AssignedAt = now;
        if (h.FirstTouchAt is null) h.FirstTouchDue = calendar.AddBusinessHours(now, h.FirstTouchHours);
        if (h.AttemptsMetAt is null) h.AttemptsDue = calendar.AddBusinessDays(now, terms.AttemptDays);
        if (h.DecidedAt is null) h.DecideDue = calendar.AddBusinessDays(now, terms.DecideDays);
        h.NextDeadline = Next(h);
    }

    public static DateTime Due(ISlaTimes h, SlaDeadline d) => d switch
    {
        SlaDeadline.FirstTouch => h.FirstTouchDue,
        SlaDeadline.Attempts => h.AttemptsDue,
        _ => h.DecideDue,
    };

    /// <summary>When the promise was kept, or null while it is not.</summary>
    public static DateTime? MetAt(ISlaTimes h, SlaDeadline d) => d switch
    {
        SlaDeadline.FirstTouch => Earliest(h.FirstTouchAt, h.DecidedAt),
        SlaDeadline.Attempts => Earliest(h.AttemptsMetAt, h.DecidedAt),
        _ => h.DecidedAt,
    };

    /// <summary>Kept in time: met at or before its deadline.</summary>
    public static bool Met(ISlaTimes h, SlaDeadline d) => MetAt(h, d) is { } at && at <= Due(h, d);

    /// <summary>Missed: not met by its deadline, which has passed (or it was met late).</summary>
    public static bool Missed(ISlaTimes h, SlaDeadline d, DateTime now) =>
        MetAt(h, d) is { } at ? at > Due(h, d) : Due(h, d) < now;

    /// <summary>Deadlines that passed without being met in time and are not yet recorded as breached. A deadline met
    /// late (an attempt or decision between the deadline and the next sweep) is still a breach.</summary>
    public static List<SlaDeadline> NewBreaches(Handoff h, DateTime now) =>
        [.. All.Where(d => (h.BreachedMask & (int)d) == 0 && !Met(h, d) && Due(h, d) <= now)];

    /// <summary>The earliest deadline not met in time and not recorded as breached; null when none is left. A deadline met
    /// late stays here (already passed), so the sweeper records its breach on the next pass.</summary>
    public static DateTime? Next(Handoff h)
    {
        DateTime? next = null;
        foreach (var d in All)
            if ((h.BreachedMask & (int)d) == 0 && !Met(h, d) && (next is null || Due(h, d) < next)) next = Due(h, d);
        return next;
    }

    /// <summary>
    /// The one SLA state every page and the API show at <paramref name="now"/>. Undecided: breached when any promise was
    /// missed, due soon when the next deadline is within <paramref name="dueSoon"/>, else on track. Decided: met when every
    /// promise was kept in time, met late when one was missed first — so a lead accepted after a missed first touch does not
    /// read "met" beside its own breach.
    /// </summary>
    public static SlaStatus Status(Handoff h, DateTime now, TimeSpan dueSoon)
    {
        var missed = h.BreachedMask != 0 || All.Any(d => Missed(h, d, now));
        if (h.State != HandoffState.Open) return missed ? SlaStatus.MetLate : SlaStatus.Met;
        if (missed) return SlaStatus.Breached;
        return Next(h) is { } next && next - now <= dueSoon ? SlaStatus.DueSoon : SlaStatus.OnTrack;
    }

    /// <summary>What the rep should do next, and by when (null once decided).</summary>
    public static (SlaDeadline Deadline, DateTime Due)? Pending(Handoff h)
    {
        if (h.State != HandoffState.Open) return null;
        foreach (var d in All.OrderBy(d => Due(h, d)))
            if (MetAt(h, d) is null) return (d, Due(h, d));
        return null;
    }

    public static string Describe(SlaDeadline d) => d switch
    {
        SlaDeadline.FirstTouch => "first touch",
        SlaDeadline.Attempts => "attempts",
        _ => "accept or reject",
    };

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
