using Tandem.Data;
using Tandem.Features.Stats;

namespace Tandem.Tests.Stats;

/// <summary>The opportunity summary is pure: every figure is checked without a database.</summary>
public class OpportunitySummaryTests
{
    private static OpportunityFact Deal(Outcome o, long minor = 0, string? created = null, string? closed = null) =>
        new(o, minor, created is null ? null : DateTime.Parse(created), closed is null ? null : DateTime.Parse(closed));

    [Fact]
    public void Counts_win_rate_amounts_and_cycles()
    {
        var s = OpportunitySummary.From([
            Deal(Outcome.Won, 100_00, "2017-01-01", "2017-01-11"),
            Deal(Outcome.Won, 250_50, "2017-01-01", "2017-01-31"),
            Deal(Outcome.Won, 50_00, null, "2017-02-01"),
            Deal(Outcome.Lost, 0, "2017-01-01", "2017-01-05"),
            Deal(Outcome.Open, 999_00, "2017-01-01"),
            Deal(Outcome.NoDecision, 0, "2017-01-01", "2017-03-01"),
        ]);

        Assert.Equal((3, 1, 1, 1), (s.Won, s.Lost, s.Open, s.NoDecision));
        Assert.Equal(0.75m, s.WinRate); // no-decision is not a loss
        Assert.Equal(400.50m, s.WonAmount);
        Assert.Equal(133.50m, s.MeanWonAmount);
        // The won deal without a created date has no cycle; it is left out rather than guessed.
        Assert.Equal((20.0, 20.0), (s.MeanWonCycleDays, s.MedianWonCycleDays));
        Assert.Equal((4.0, 4.0), (s.MeanLostCycleDays, s.MedianLostCycleDays));
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value_and_means_round_to_two_decimals()
    {
        var s = OpportunitySummary.From([
            Deal(Outcome.Won, 1, "2017-01-01", "2017-01-02"),
            Deal(Outcome.Won, 1, "2017-01-01", "2017-01-03"),
            Deal(Outcome.Won, 1, "2017-01-01", "2017-01-30"),
        ]);
        Assert.Equal(10.67, s.MeanWonCycleDays);
        Assert.Equal(2.0, s.MedianWonCycleDays);
        Assert.Equal(1m, s.WinRate);
    }

    [Fact]
    public void No_deals_gives_nulls_not_zeros()
    {
        var s = OpportunitySummary.From([Deal(Outcome.Open)]);
        Assert.Null(s.WinRate);
        Assert.Null(s.MeanWonAmount);
        Assert.Null(s.MedianLostCycleDays);
        Assert.Equal(0m, s.WonAmount);
    }
}
