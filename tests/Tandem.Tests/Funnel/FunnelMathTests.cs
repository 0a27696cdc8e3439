using Tandem.Data;
using Tandem.Features.Funnel;

namespace Tandem.Tests.Funnel;

public class FunnelMathTests
{
    private static DateTime Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(6, 2)]
    [InlineData(7, 3)]
    [InlineData(10, 4)]
    [InlineData(12, 4)]
    public void Quarter_of_a_month_is_its_calendar_quarter(int month, int expected) =>
        Assert.Equal(new Quarter(2026, expected), Quarter.Containing(Utc(2026, month, 15)));

    [Fact]
    public void Quarter_runs_from_its_first_instant_up_to_but_not_including_the_next_quarter()
    {
        var q2 = new Quarter(2026, 2);
        Assert.Equal(Utc(2026, 4, 1), q2.Start);
        Assert.Equal(Utc(2026, 7, 1), q2.End);
        Assert.True(q2.Contains(Utc(2026, 4, 1)));
        Assert.True(q2.Contains(Utc(2026, 6, 30, 23)));
        Assert.False(q2.Contains(Utc(2026, 7, 1)));
        Assert.False(q2.Contains(Utc(2026, 3, 31, 23)));
    }

    [Fact]
    public void Previous_quarter_of_the_first_quarter_is_the_fourth_of_the_year_before()
    {
        Assert.Equal(new Quarter(2025, 4), new Quarter(2026, 1).Previous);
        Assert.Equal(new Quarter(2027, 1), new Quarter(2026, 4).Next);
        Assert.Equal(Utc(2027, 1, 1), new Quarter(2026, 4).End);
    }

    [Theory]
    [InlineData("2026-Q3", true, 2026, 3)]
    [InlineData(" 2025-Q1 ", true, 2025, 1)]
    [InlineData("2026-Q5", false, 0, 0)]
    [InlineData("2026-Q0", false, 0, 0)]
    [InlineData("Q3 2026", false, 0, 0)]
    [InlineData("2026", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    [InlineData(null, false, 0, 0)]
    public void Quarter_key_is_read_back_and_anything_else_is_refused(string? text, bool ok, int year, int number)
    {
        Assert.Equal(ok, Quarter.TryParse(text, out var q));
        if (ok) Assert.Equal(new Quarter(year, number), q);
    }

    [Fact]
    public void Quarter_key_round_trips() =>
        Assert.True(Quarter.TryParse(new Quarter(2026, 2).Key, out var q) && q == new Quarter(2026, 2));

    [Fact]
    public void Flow_ratio_is_entries_into_the_lower_stage_over_entries_into_the_upper_stage()
    {
        Assert.Equal(0.25, FunnelMath.FlowRatio(40, 10));
        Assert.Equal(1.5, FunnelMath.FlowRatio(10, 15)); // a backlog clearing: more entered B than A this quarter
        Assert.Equal(0.0, FunnelMath.FlowRatio(10, 0));
    }

    [Fact]
    public void Flow_ratio_is_undefined_when_nobody_entered_the_upper_stage() => Assert.Null(FunnelMath.FlowRatio(0, 3));

    [Fact]
    public void Flows_pair_each_main_stage_with_the_next_and_leave_side_states_out()
    {
        var entries = new Dictionary<LifecycleStage, int>
        {
            [LifecycleStage.Inquiry] = 200, [LifecycleStage.MQL] = 40, [LifecycleStage.SAL] = 20,
            [LifecycleStage.Nurture] = 99, [LifecycleStage.Disqualified] = 7,
        };
        var flows = FunnelMath.Flows(entries);

        Assert.Equal(
            [(LifecycleStage.Inquiry, LifecycleStage.MQL), (LifecycleStage.MQL, LifecycleStage.SAL),
             (LifecycleStage.SAL, LifecycleStage.SQL), (LifecycleStage.SQL, LifecycleStage.Customer)],
            flows.Select(f => (f.From, f.To)));
        Assert.Equal([0.2, 0.5, 0.0, null], flows.Select(f => f.Ratio));
        Assert.Equal((20, 0), (flows[2].FromEntries, flows[2].ToEntries));
    }

    [Theory]
    [InlineData(50, 200, 25.0)]
    [InlineData(200, 200, 100.0)]
    [InlineData(1, 3, 33.3)]
    [InlineData(0, 0, 0.0)]
    [InlineData(5, 0, 0.0)]
    public void Bar_length_is_a_percentage_of_the_largest_count(int value, int max, double expected) =>
        Assert.Equal(expected, FunnelMath.BarPercent(value, max));

    [Fact]
    public void Ratios_are_shown_as_percentages_with_one_decimal_and_a_dash_when_undefined()
    {
        Assert.Equal("12.5 %", FunnelMath.FormatRatio(0.125));
        Assert.Equal("150.0 %", FunnelMath.FormatRatio(1.5));
        Assert.Equal("–", FunnelMath.FormatRatio(null));
    }
}
