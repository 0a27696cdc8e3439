using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class MonteCarloTests
{
    private static ForecastInputs Inputs(double p, long[] amounts, double arrivals = 0, double newRate = 0, long booked = 0) => new()
    {
        Currency = "USD", At = new DateTime(2027, 1, 1), PeriodStart = new DateTime(2027, 1, 1), PeriodEnd = new DateTime(2027, 4, 1),
        Booked = booked,
        Open = [.. amounts.Select((a, i) => new OpenDeal(i + 1, $"Deal {i + 1}", 1, "Proposal", 3, p, a))],
        Future = [.. Enumerable.Range(0, 13).Select(w => new FutureWeek(new DateTime(2027, 1, 1).AddDays(7 * w), arrivals, newRate))],
        WonAmounts = [1_000_00], Slip = 0, ModelSamples = 100,
    };

    [Fact]
    public void Every_open_deal_certain_and_pipeline_at_the_target_gives_a_certain_hit()
    {
        var r = MonteCarlo.Run(Inputs(1, [400_00, 600_00]), target: 1_000_00, runs: 2_000, seed: 7);
        Assert.Equal(1, r.PHit);
        Assert.Equal(1_000_00, r.P10);
        Assert.Equal(1_000_00, r.P90);
    }

    [Fact]
    public void Every_open_deal_certain_but_short_of_the_target_never_hits_without_new_pipeline()
    {
        var r = MonteCarlo.Run(Inputs(1, [400_00, 599_99]), target: 1_000_00, runs: 2_000, seed: 7);
        Assert.Equal(0, r.PHit);
    }

    [Fact]
    public void With_open_deals_at_zero_the_answer_is_the_future_pipeline_alone()
    {
        // 13 weeks × 2 arrivals × 50 % win in time × 1,000 each: a mean of 13,000 from new deals only.
        var withDeals = MonteCarlo.Run(Inputs(0, [50_000_00, 60_000_00], arrivals: 2, newRate: 0.5), target: 13_000_00, runs: 10_000, seed: 3);
        var without = MonteCarlo.Run(Inputs(0, [], arrivals: 2, newRate: 0.5), target: 13_000_00, runs: 10_000, seed: 3);
        Assert.Equal(without.PHit, withDeals.PHit);
        Assert.Equal(without.P50, withDeals.P50);
        Assert.InRange(without.Mean, 12_500_00, 13_500_00);
        Assert.InRange(without.PHit, 0.4, 0.65); // a Poisson-binomial sum around its mean
    }

    [Fact]
    public void The_same_seed_gives_the_same_answer_and_another_seed_a_different_one()
    {
        var f = Inputs(0.4, [.. Enumerable.Range(1, 200).Select(i => (long)i * 10_00)], arrivals: 1, newRate: 0.3);
        var a = MonteCarlo.Run(f, 80_000_00, runs: 5_000, seed: 11);
        var b = MonteCarlo.Run(f, 80_000_00, runs: 5_000, seed: 11);
        var c = MonteCarlo.Run(f, 80_000_00, runs: 5_000, seed: 12);
        Assert.Equal((a.PHit, a.P10, a.P50, a.P90, a.Mean), (b.PHit, b.P10, b.P50, b.P90, b.Mean));
        Assert.NotEqual(a.Mean, c.Mean);
        Assert.Equal(f.Expected, a.Mean, 0.02 * f.Expected); // the simulation's mean is the analytic expectation
    }

    [Fact]
    public void The_biggest_uncertain_deal_moves_the_answer_most()
    {
        var r = MonteCarlo.Run(Inputs(0.5, [10_00, 20_00, 900_00, 30_00]), target: 900_00, runs: 4_000, seed: 5);
        Assert.Equal(3, r.Movers[0].DealId);
        Assert.Equal(1, r.Movers[0].HitIfWon);
        Assert.Equal(0, r.Movers[0].HitIfNot);
    }
}
