using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

public class StatsTests
{
    [Fact]
    public void The_normal_functions_match_the_tables()
    {
        Assert.Equal(1.959964, Normal.Quantile(0.975), 5);
        Assert.Equal(0.841621, Normal.Quantile(0.8), 5);
        Assert.Equal(-2.326348, Normal.Quantile(0.01), 5);
        Assert.Equal(0.975, Normal.Cdf(1.959964), 6);
        Assert.Equal(0.5, Normal.Cdf(0), 6);
    }

    [Fact]
    public void The_fixed_horizon_sample_is_computed_up_front_from_the_baseline_and_the_minimum_detectable_effect()
    {
        // 4 % → 5 % at α 0.05 and 80 % power: about 6,700 per arm (methods: "about 6,000 per arm").
        Assert.InRange(VariantStats.SampleSize(0.04, 0.01, 0.05, 0.8), 6_600, 6_900);
        Assert.True(VariantStats.SampleSize(0.04, 0.02, 0.05, 0.8) < 2_000);
        Assert.True(VariantStats.SampleSize(0.04, 0.01, 0.05, 0.9) > VariantStats.SampleSize(0.04, 0.01, 0.05, 0.8));
    }

    [Fact]
    public void The_fixed_test_is_read_only_at_the_horizon_and_then_names_the_winner_and_why()
    {
        var test = new VariantTest(TestMode.Fixed, Reward.Click, HoldoutPercent: 0, Baseline: 0.04, Mde: 0.02);
        var n = VariantStats.SampleSize(0.04, 0.02, 0.05, 0.8);
        var early = VariantStats.Decide(test, [new Arm("A", 500, 10), new Arm("B", 500, 40)]);
        Assert.Null(early.Winner);
        Assert.Contains($"of the {n:N0} people per arm", early.Why);
        var done = VariantStats.Decide(test, [new Arm("A", n, n * 4 / 100), new Arm("B", n, n * 7 / 100)]);
        Assert.Equal("B", done.Winner);
        Assert.Contains("B wins", done.Why);
        Assert.True(done.Arms[1].PValue < 0.05);
        var tie = VariantStats.Decide(test, [new Arm("A", n, n * 4 / 100), new Arm("B", n, n * 4 / 100)]);
        Assert.Null(tie.Winner);
        Assert.Contains("no variant beats A", tie.Why);
    }

    [Fact]
    public void The_control_is_the_baseline_and_intervals_are_wilson()
    {
        var test = new VariantTest(TestMode.Sequential, Reward.Mql, HoldoutPercent: 10, Mde: 0.02);
        var v = VariantStats.Decide(test, [new Arm(VariantAssignment.Control, 1000, 20), new Arm("A", 4000, 200), new Arm("B", 4000, 82)]);
        Assert.Equal(VariantAssignment.Control, v.Baseline);
        Assert.Equal("A", v.Winner);
        Assert.Contains("crossed 1/α = 40", v.Why); // α 0.05 split over two comparisons
        var (low, high) = VariantStats.Wilson(0, 10);
        Assert.Equal(0, low);
        Assert.Equal(0.2775, high, 3);
    }

    /// <summary>
    /// The sequential mode under no true difference: 1,000 experiments, each read after every 100 people per arm up to 4,000
    /// (40 looks), stopping at the first declared winner. False winners must stay at or below α. The same looks with the naive
    /// z-test (|z| &gt; 1.96) are counted too, to show the simulation does catch the inflation peeking causes.
    /// </summary>
    [Fact]
    public void Sequential_simulation_keeps_false_winners_at_or_below_alpha_under_no_difference_while_naive_peeking_does_not()
    {
        const int experiments = 1000, look = 100, max = 4000;
        var test = new VariantTest(TestMode.Sequential, Reward.Click, HoldoutPercent: 0, Baseline: 0.05, Mde: 0.02, Alpha: 0.05);
        var random = new Random(20261202);
        int sequentialFalse = 0, naiveFalse = 0;
        for (var e = 0; e < experiments; e++)
        {
            int a = 0, b = 0;
            bool seqStopped = false, naiveStopped = false;
            for (var n = 1; n <= max; n++)
            {
                if (random.NextDouble() < 0.05) a++;
                if (random.NextDouble() < 0.05) b++;
                if (n % look != 0) continue;
                Arm[] arms = [new("A", n, a), new("B", n, b)];
                if (!seqStopped && VariantStats.Decide(test, arms).Winner is not null) (seqStopped, sequentialFalse) = (true, sequentialFalse + 1);
                if (!naiveStopped && Math.Abs(VariantStats.Z(arms[0], arms[1])) > 1.96) (naiveStopped, naiveFalse) = (true, naiveFalse + 1);
            }
        }
        Assert.True(sequentialFalse <= 0.05 * experiments, $"sequential false winners: {sequentialFalse} of {experiments}");
        Assert.True(naiveFalse > 0.1 * experiments, $"naive peeking false positives: {naiveFalse} of {experiments}");
    }

    [Fact]
    public void Sequential_mode_finds_a_real_lift_and_stops_early()
    {
        var test = new VariantTest(TestMode.Sequential, Reward.Click, HoldoutPercent: 0, Baseline: 0.05, Mde: 0.02);
        var random = new Random(7);
        int found = 0, stoppedBy = 0;
        for (var e = 0; e < 200; e++)
        {
            int a = 0, b = 0;
            for (var n = 1; n <= 6000; n++)
            {
                if (random.NextDouble() < 0.05) a++;
                if (random.NextDouble() < 0.08) b++;
                if (n % 100 == 0 && VariantStats.Decide(test, [new Arm("A", n, a), new Arm("B", n, b)]).Winner == "B")
                {
                    found++;
                    stoppedBy += n;
                    break;
                }
            }
        }
        Assert.True(found >= 180, $"found the lift in {found} of 200");
        Assert.True(stoppedBy / found < 3000, $"stopped on average after {stoppedBy / found} per arm");
    }
}
