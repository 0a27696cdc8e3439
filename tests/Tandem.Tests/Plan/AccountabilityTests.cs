using Tandem.Data;
using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class AccountabilityTests
{
    private static readonly DateTime End = new(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_committed_deal_is_won_lost_pushed_or_still_open_by_what_happened_before_the_quarter_ended()
    {
        var during = End.AddDays(-10);
        Assert.Equal(DealFate.Won, Accountability.Fate(Outcome.Won, End.AddDays(-1), null, End, during));
        Assert.Equal(DealFate.Lost, Accountability.Fate(Outcome.Lost, End.AddDays(-1), null, End, during));
        Assert.Equal(DealFate.Pushed, Accountability.Fate(Outcome.Won, End.AddDays(3), null, End, End.AddDays(5)));
        Assert.Equal(DealFate.Pushed, Accountability.Fate(Outcome.Open, null, End.AddDays(20), End, during)); // expected after the quarter now
        Assert.Equal(DealFate.Open, Accountability.Fate(Outcome.Open, null, End.AddDays(-2), End, during));
        Assert.Equal(DealFate.Pushed, Accountability.Fate(Outcome.Open, null, End.AddDays(-2), End, End.AddDays(1)));
        Assert.Equal(DealFate.Removed, Accountability.Fate(null, null, null, End, during));
    }

    private static RepQuarter Q(string period, int[] committed, int[] pushed, bool over = true) =>
        new(period, committed.Length, pushed.Length, committed.ToHashSet(), pushed.ToHashSet(), over);

    [Fact]
    public void A_rep_is_flagged_only_after_two_consecutive_quarters_of_pushed_deals_that_vanish_from_the_next_commit()
    {
        // Q1: 3 of 4 pushed, none committed again in Q2. Q2: 2 of 3 pushed, both dropped in Q3. Q3 is running.
        var churner = new[] { Q("2026-Q1", [1, 2, 3, 4], [1, 2, 3]), Q("2026-Q2", [5, 6, 7], [5, 6]), Q("2026-Q3", [8, 9], [], over: false) };
        var flag = Accountability.Flag(churner);
        Assert.True(flag.Flagged);
        Assert.Equal("Flagged: in 2026-Q1, 3 of 4 committed deals were pushed (75 %) and 3 of those 3 were not committed again in 2026-Q2; "
            + "in 2026-Q2, 2 of 3 committed deals were pushed (67 %) and 2 of those 2 were not committed again in 2026-Q3.", flag.Why);

        // Pushed deals that stay committed are a slow deal, not churn.
        var carrier = new[] { Q("2026-Q1", [1, 2, 3, 4], [1, 2, 3]), Q("2026-Q2", [1, 2, 3], [1, 2]), Q("2026-Q3", [1, 2], [], over: false) };
        Assert.False(Accountability.Flag(carrier).Flagged);
        // One bad quarter is not a pattern; a gap between snapshots breaks the streak.
        Assert.False(Accountability.Flag(churner.Take(2).ToList()).Flagged);
        Assert.False(Accountability.Flag([churner[0], churner[1] with { Period = "2026-Q3" }, churner[2] with { Period = "2026-Q4" }]).Flagged);
    }
}
