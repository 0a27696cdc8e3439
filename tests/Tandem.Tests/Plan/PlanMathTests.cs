using Tandem.Features.Plan;

namespace Tandem.Tests.Plan;

public class PlanMathTests
{
    private static readonly Period Q = Period.Parse("2027-Q1")!;

    private static double[] Pmf(Random r, int weeks)
    {
        var p = Enumerable.Range(0, weeks + 1).Select(_ => r.NextDouble()).ToArray();
        var sum = p.Sum();
        return [.. p.Select(x => x / sum)];
    }

    [Fact]
    public void Running_the_weekly_targets_forward_through_the_same_rates_and_lags_gives_back_the_target_with_its_buffer()
    {
        var r = new Random(20261202);
        for (var trial = 0; trial < 200; trial++)
        {
            var count = r.Next(1, 5);
            var shares = Pmf(r, count - 1);
            var lines = Enumerable.Range(0, count).Select(l => new PlanLine($"L{l}", shares[l], r.Next(1_000_00, 100_000_00),
                [.. Enumerable.Range(0, 4).Select(_ => 0.01 + 0.99 * r.NextDouble())], null)).ToList();
            var lags = Enumerable.Range(0, 4).Select(_ => Pmf(r, r.Next(0, 12))).ToArray();
            var target = (long)r.Next(1, 1_000_000) * 100;
            var buffer = Math.Round(r.NextDouble() * 0.5, 2);
            var period = trial % 3 == 0 ? Period.Year(2027) : Period.Quarter(new DateOnly(2027, 1 + 3 * (trial % 4), 1));
            var grid = PlanMath.Walk(target, buffer, lines, lags, period);
            var back = PlanMath.ForwardRevenue(grid, lines, lags);
            Assert.Equal(target * (1 + buffer), back, target * 1e-9);
            Assert.All(grid.Targets.SelectMany(t => t).SelectMany(w => w), v => Assert.True(double.IsFinite(v) && v >= 0));
        }
    }

    [Fact]
    public void Closes_in_a_week_come_from_sqls_planned_the_lag_earlier()
    {
        // Every transition takes exactly two weeks; SQL → Won converts 1 in 4.
        var lags = Enumerable.Range(0, 4).Select(_ => new double[] { 0, 0, 1 }).ToArray();
        var line = new PlanLine("All", 1, 10_000_00, [0.5, 0.5, 0.5, 0.25], 1_000_00);
        var grid = PlanMath.Walk(13 * 10_000_00 * 4, 0, [line], lags, Q); // 52 deals over the quarter's 13 weeks (Jan 1 is a Friday)
        Assert.Equal(8, grid.Weeks - Periods.Weeks(Q).Count()); // 4 transitions × 2 weeks of lead-in
        var won = grid.Targets[0][PlanStages.Won];
        var sqls = grid.Targets[0][PlanStages.Won - 1];
        for (var w = 2; w < grid.Weeks; w++) Assert.Equal(won[w] / 0.25, sqls[w - 2], 9);
        Assert.Equal(52, won.Sum(), 9);
        Assert.Equal(52 / 0.25 / 0.5 / 0.5 / 0.5, grid.Total(0, 0), 6);
        Assert.Equal(new DateOnly(2026, 12, 28).AddDays(-56), grid.FirstWeek);
        // Budget: the plan's SQLs at the cost per SQL; a budget buys revenue at cost per SQL, SQL→Won and mean won.
        Assert.Equal(208 * 1_000_00, PlanMath.Budget(grid, 0, line)!.Value, 6);
        Assert.Equal(10 * 0.25 * 10_000_00, PlanMath.Buys(10 * 1_000_00, line)!.Value, 6);
    }

    [Fact]
    public void A_line_gets_its_share_of_the_target()
    {
        var lags = Enumerable.Range(0, 4).Select(_ => new double[] { 1 }).ToArray();
        var lines = new List<PlanLine> { new("Email", 0.25, 1_000_00, [1, 1, 1, 0.5], null), new("Events", 0.75, 3_000_00, [1, 1, 1, 0.5], null) };
        var grid = PlanMath.Walk(1_000_000_00, 0.1, lines, lags, Q);
        Assert.Equal(1_100_000_00 * 0.25 / 1_000_00, grid.Total(0, PlanStages.Won), 6);
        Assert.Equal(1_100_000_00 * 0.75 / 3_000_00, grid.Total(1, PlanStages.Won), 6);
        Assert.Equal(2 * grid.Total(1, PlanStages.Won), grid.Total(1, PlanStages.Won - 1), 6);
    }
}
