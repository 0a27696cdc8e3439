using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Tandem.Features.Plan;

/// <summary>A deal whose outcome moves the chance of hitting the number most: P(hit | won) − P(hit | not won).</summary>
public sealed record Mover(int DealId, string Name, int OwnerId, double Probability, long? Amount, double HitIfWon, double HitIfNot)
{
    public double Swing => HitIfWon - HitIfNot;
}

public sealed record SimulationResult(int Runs, int Seed, long Target, double PHit, double P10, double P50, double P90, double Mean,
    IReadOnlyList<Mover> Movers);

/// <summary>
/// The chance of hitting the number (methods.md): each open deal is a Bernoulli draw with its probability and its amount (an
/// unknown amount is drawn from the amounts won in the last year); deals not yet created arrive per remaining week as a
/// Poisson draw, each won in time with the new-deal rate. Runs are split in fixed chunks, each with its own generator seeded
/// from (seed, chunk), so the answer is the same for a seed whatever the number of cores (decision 0045).
/// </summary>
public static class MonteCarlo
{
    public const int Chunk = 500;

    public static SimulationResult Run(ForecastInputs f, long target, int runs = 10_000, int seed = 1, int movers = 10)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "runs must be at least 1.");
        var totals = new double[runs];
        var n = f.Open.Count;
        var chunks = (runs + Chunk - 1) / Chunk;
        var wonCount = new int[chunks][];
        var hitWon = new int[chunks][];
        var pool = f.WonAmounts;
        Parallel.For(0, chunks, c =>
        {
            var rng = new Xoshiro256StarStar(unchecked(seed * 1_000_003 + c), threadSafe: false); // not HashCode: it differs per process
            var (won, hit) = (new int[n], new int[n]);
            var winners = new List<int>(n);
            for (var r = c * Chunk; r < Math.Min(runs, (c + 1) * Chunk); r++)
            {
                winners.Clear();
                double total = f.Booked;
                for (var d = 0; d < n; d++)
                {
                    var deal = f.Open[d];
                    // Certain outcomes draw nothing, so they leave the rest of the run's random stream as it would be without them.
                    if (deal.Probability <= 0 || (deal.Probability < 1 && rng.NextDouble() >= deal.Probability)) continue;
                    total += deal.Amount ?? Draw(rng, pool);
                    winners.Add(d);
                }
                foreach (var week in f.Future)
                {
                    if (week.Arrivals <= 0 || week.Probability <= 0) continue;
                    var arrived = Poisson.Sample(rng, week.Arrivals);
                    var wins = week.Probability >= 1 ? arrived : Binomial.Sample(rng, week.Probability, arrived);
                    for (var k = 0; k < wins; k++) total += Draw(rng, pool);
                }
                totals[r] = total;
                foreach (var d in winners)
                {
                    won[d]++;
                    if (total >= target) hit[d]++;
                }
            }
            (wonCount[c], hitWon[c]) = (won, hit);
        });
        var hits = totals.Count(t => t >= target);
        var sorted = (double[])totals.Clone();
        Array.Sort(sorted);
        var list = new List<Mover>(n);
        for (var d = 0; d < n; d++)
        {
            var (w, h) = (0, 0);
            for (var c = 0; c < chunks; c++) (w, h) = (w + wonCount[c][d], h + hitWon[c][d]);
            var deal = f.Open[d];
            list.Add(new Mover(deal.DealId, deal.Name, deal.OwnerId, deal.Probability, deal.Amount,
                w == 0 ? double.NaN : (double)h / w, runs - w == 0 ? double.NaN : (double)(hits - h) / (runs - w)));
        }
        var top = list.Where(m => !double.IsNaN(m.Swing)).OrderByDescending(m => m.Swing).ThenBy(m => m.DealId).Take(movers).ToList();
        return new SimulationResult(runs, seed, target, (double)hits / runs, Quantile(sorted, 0.1), Quantile(sorted, 0.5), Quantile(sorted, 0.9),
            totals.Average(), top);
    }

    private static long Draw(Random rng, long[] pool) => pool.Length == 0 ? 0 : pool[rng.Next(pool.Length)];

    /// <summary>The nearest-rank quantile of sorted values.</summary>
    public static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
