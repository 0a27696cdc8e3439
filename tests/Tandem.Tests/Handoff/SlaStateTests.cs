using NodaTime;
using Tandem.Components.Handoff;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Handoffs;

namespace Tandem.Tests.Handoff;

/// <summary>The one SLA state every page shows (the rep's queue, the lead page, the team queue, drill-downs), and its words.</summary>
public class SlaStateTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromHours(2);
    private static DateTime Utc(int d, int h, int min = 0) => new(2026, 3, d, h, min, 0, DateTimeKind.Utc);

    private static Features.Handoffs.Handoff Lead()
    {
        var h = new Features.Handoffs.Handoff { PersonId = 1, Rule = "test", RuleNote = "test" };
        var cal = BusinessCalendar.Uniform("UTC", [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
            new LocalTime(9, 0), new LocalTime(17, 0));
        SlaClock.Start(h, SlaSection.Default, cal, Utc(2, 9)); // first touch due Mon 13:00, decision Thu 09:00
        return h;
    }

    [Fact]
    public void An_open_lead_is_on_track_then_due_soon_then_breached()
    {
        var h = Lead();
        Assert.Equal(SlaStatus.OnTrack, SlaClock.Status(h, Utc(2, 10), Soon));
        Assert.Equal(SlaStatus.DueSoon, SlaClock.Status(h, Utc(2, 11, 30), Soon));
        Assert.Equal(SlaStatus.Breached, SlaClock.Status(h, Utc(2, 13, 1), Soon));
    }

    [Fact]
    public void A_lead_decided_in_time_is_met_and_one_decided_after_a_miss_is_met_late()
    {
        var kept = Lead();
        (kept.FirstTouchAt, kept.AttemptCount) = (Utc(2, 10), 1);
        (kept.State, kept.DecidedAt) = (HandoffState.Accepted, Utc(3, 9));
        Assert.Equal(SlaStatus.Met, SlaClock.Status(kept, Utc(20, 9), Soon));

        // The first touch came after its deadline: the lead was accepted, and it was breached. Both are true; the state says both.
        var late = Lead();
        (late.FirstTouchAt, late.AttemptCount) = (Utc(2, 15), 1);
        (late.State, late.DecidedAt) = (HandoffState.Accepted, Utc(3, 9));
        Assert.Equal(SlaStatus.MetLate, SlaClock.Status(late, Utc(20, 9), Soon));

        // A breach recorded by the sweeper counts even when the clock alone would not say so.
        var recorded = Lead();
        recorded.BreachedMask = (int)SlaDeadline.FirstTouch;
        (recorded.State, recorded.DecidedAt) = (HandoffState.Rejected, Utc(2, 10));
        Assert.Equal(SlaStatus.MetLate, SlaClock.Status(recorded, Utc(2, 11), Soon));
    }

    [Fact]
    public void Every_state_has_its_words_and_its_style()
    {
        Assert.Equal(["on track", "due soon", "breached", "met", "met late (breached)"], Enum.GetValues<SlaStatus>().Select(Countdown.Label));
        Assert.Equal(5, Enum.GetValues<SlaStatus>().Select(Countdown.Css).Distinct().Count());
    }

    [Fact]
    public void The_countdown_says_due_in_or_overdue_by()
    {
        var due = Utc(2, 13);
        Assert.Equal("due in 2h 30m", Countdown.Text(due, Utc(2, 10, 30)));
        Assert.Equal("due in 5m", Countdown.Text(due, Utc(2, 12, 55)));
        Assert.Equal("overdue by 1d 2h", Countdown.Text(due, Utc(3, 15)));
    }
}
