namespace Tandem.Features.Handoffs;

/// <summary>
/// The sales side of the agreement (a section of the lead definition; Handoffs owns its meaning): first touch within <see cref="FirstTouchHours"/> business hours, at least
/// <see cref="MinAttempts"/> attempts within <see cref="AttemptDays"/> business days, and accept or reject within
/// <see cref="DecideDays"/> business days. Counted in the assignee's own business calendar.
/// </summary>
public sealed record SlaSection(double FirstTouchHours, int MinAttempts, int AttemptDays, int DecideDays)
{
    /// <summary>Common practice (first touch the same working day, three attempts in a week, a decision in three days).</summary>
    public static SlaSection Default { get; } = new(4, 3, 5, 3);
}
