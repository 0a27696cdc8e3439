using NodaTime;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>Deadlines in the assignee's calendar, what is met or missed, and the status a rep sees.</summary>
public class SlaClockTests
{
    private static readonly IsoDayOfWeek[] Weekdays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];
    private static BusinessCalendar Berlin(params LocalDate[] holidays) => BusinessCalendar.Uniform("Europe/Berlin", Weekdays, new LocalTime(9, 0), new LocalTime(17, 0), holidays);
    private static DateTime Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    private static Features.Handoffs.Handoff Start(BusinessCalendar cal, DateTime at, SlaSection? terms = null)
    {
        var h = new Features.Handoffs.Handoff { Rule = "test", RuleNote = "test" };
        SlaClock.Start(h, terms ?? SlaSection.Default, cal, at);
        return h;
    }

    [Fact]
    public void A_friday_afternoon_mql_is_due_on_monday_in_the_reps_own_zone()
    {
        // Friday 2026-03-06 15:00 Berlin (14:00 UTC): 2 business hours left on Friday, 2 more on Monday from 09:00 Berlin.
        var h = Start(Berlin(), Utc(2026, 3, 6, 14));
        Assert.Equal(Utc(2026, 3, 9, 10), h.FirstTouchDue);
        Assert.Equal(Utc(2026, 3, 13, 14), h.AttemptsDue); // 5 business days later, same local time
        Assert.Equal(Utc(2026, 3, 11, 14), h.DecideDue);
        Assert.Equal(h.FirstTouchDue, h.NextDeadline);
    }

    [Fact]
    public void A_deadline_met_late_before_the_sweeper_looked_is_still_a_breach()
    {
        var h = Start(Berlin(), Utc(2026, 3, 6, 14));
        h.FirstTouchAt = h.FirstTouchDue.AddSeconds(30); // the rep called 30 s late; the sweeper runs 15 s after that
        h.NextDeadline = SlaClock.Next(h);
        Assert.Equal(h.FirstTouchDue, h.NextDeadline); // still due for the sweeper
        Assert.Equal([SlaDeadline.FirstTouch], SlaClock.NewBreaches(h, h.FirstTouchDue.AddSeconds(45)));

        var onTime = Start(Berlin(), Utc(2026, 3, 6, 14));
        onTime.FirstTouchAt = onTime.FirstTouchDue.AddMinutes(-5);
        Assert.Empty(SlaClock.NewBreaches(onTime, onTime.FirstTouchDue.AddMinutes(1)));
        Assert.Equal(onTime.DecideDue, SlaClock.Next(onTime)); // accept or reject comes before the attempts deadline here
    }

    [Fact]
    public void Deadlines_skip_a_holiday_and_follow_the_dst_change()
    {
        // Berlin moves to summer time on Sunday 2026-03-29; Monday 30 is a company holiday.
        var h = Start(Berlin(new LocalDate(2026, 3, 30)), Utc(2026, 3, 27, 15));
        Assert.Equal(Utc(2026, 3, 31, 10), h.FirstTouchDue); // Fri 16:00 CET + 1h, then Tue 09:00 CEST (07:00 UTC) + 3h = 12:00 CEST
    }

    [Fact]
    public void Status_moves_from_on_track_to_due_soon_to_breached_and_a_decision_settles_it()
    {
        var cal = BusinessCalendar.Uniform("UTC", Weekdays, new LocalTime(9, 0), new LocalTime(17, 0));
        var h = Start(cal, Utc(2026, 3, 2, 9)); // first touch due 13:00
        var soon = TimeSpan.FromHours(2);
        Assert.Equal(SlaStatus.OnTrack, SlaClock.Status(h, Utc(2026, 3, 2, 10), soon));
        Assert.Equal(SlaStatus.DueSoon, SlaClock.Status(h, Utc(2026, 3, 2, 11, 30), soon));
        Assert.Equal(SlaStatus.Breached, SlaClock.Status(h, Utc(2026, 3, 2, 13, 1), soon));
        Assert.Equal([SlaDeadline.FirstTouch], SlaClock.NewBreaches(h, Utc(2026, 3, 2, 13, 1)));

        var met = Start(cal, Utc(2026, 3, 2, 9));
        (met.FirstTouchAt, met.AttemptCount) = (Utc(2026, 3, 2, 10), 1);
        met.NextDeadline = SlaClock.Next(met);
        Assert.Equal(met.DecideDue, met.NextDeadline); // decision (3 days) comes before attempts (5 days)
        (met.State, met.DecidedAt) = (HandoffState.Accepted, Utc(2026, 3, 3, 9));
        Assert.Null(SlaClock.Next(met));
        Assert.Equal(SlaStatus.Met, SlaClock.Status(met, Utc(2026, 3, 20, 9), soon));
        Assert.Empty(SlaClock.NewBreaches(met, Utc(2026, 3, 20, 9)));
    }

    [Fact]
    public void A_recorded_breach_is_not_found_again_and_the_next_deadline_moves_on()
    {
        var cal = BusinessCalendar.Uniform("UTC", Weekdays, new LocalTime(9, 0), new LocalTime(17, 0));
        var h = Start(cal, Utc(2026, 3, 2, 9));
        h.BreachedMask |= (int)SlaDeadline.FirstTouch;
        Assert.Empty(SlaClock.NewBreaches(h, Utc(2026, 3, 2, 14)));
        Assert.Equal(h.DecideDue, SlaClock.Next(h));
    }
}
