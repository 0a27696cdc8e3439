using System.Globalization;

namespace Tandem.Features.Nurture;

/// <summary>One arm's counts: people assigned (sent, or held out for the control) and how many earned the reward.</summary>
public sealed record Arm(string Key, int People, int Rewarded)
{
    public double Rate => People == 0 ? 0 : (double)Rewarded / People;
}

/// <param name="Statistic">Fixed: the z of this arm against the baseline. Sequential: the mixture likelihood ratio Λ.</param>
/// <param name="PValue">Fixed: two-sided p. Sequential: the always-valid p, min(1, 1/Λ).</param>
public sealed record ArmResult(string Key, int People, int Rewarded, double Rate, double Low, double High, double? Statistic, double? PValue);

/// <param name="RequiredPerArm">Fixed horizon: the sample per arm computed up front from the baseline and the minimum detectable effect.</param>
/// <param name="Why">Why a winner was or was not declared, in a sentence.</param>
public sealed record TestVerdict(TestMode Mode, string Baseline, int? RequiredPerArm, double Alpha, IReadOnlyList<ArmResult> Arms, string? Winner, string Why);

/// <summary>
/// Winner selection (decision 0071), pure. Every challenger is compared with the baseline arm (the hold-out control when there
/// is one, else the first variant) at α split evenly over the comparisons (Bonferroni).
/// <list type="bullet">
/// <item>Fixed horizon: the sample per arm is fixed before the test from the baseline rate, the minimum detectable effect, α and
/// the power; the two-proportion z-test is read once, when every arm has reached it. Reading it earlier is peeking.</item>
/// <item>Sequential: the mixture sequential probability ratio test (Johari et al., KDD 2017) on the difference of rates, with a
/// normal mixing distribution of spread τ = the minimum detectable effect. Λ is a martingale under no difference, so by Ville's
/// inequality P(Λ ever ≥ 1/α) ≤ α: it may be read after every send and stop as soon as it crosses, without inflating false winners.</item>
/// </list>
/// </summary>
public static class VariantStats
{
    /// <summary>People per arm to detect <paramref name="baseline"/> → baseline + <paramref name="mde"/> (two-sided, pooled variance under the null).</summary>
    public static int SampleSize(double baseline, double mde, double alpha, double power)
    {
        var p2 = baseline + mde;
        var bar = (baseline + p2) / 2;
        var za = Normal.Quantile(1 - alpha / 2);
        var zb = Normal.Quantile(power);
        var n = Math.Pow(za * Math.Sqrt(2 * bar * (1 - bar)) + zb * Math.Sqrt(baseline * (1 - baseline) + p2 * (1 - p2)), 2) / (mde * mde);
        return (int)Math.Ceiling(n);
    }

    /// <summary>The pooled two-proportion z of <paramref name="b"/> against <paramref name="a"/>; 0 when either arm is empty or the rates are all 0 or 1.</summary>
    public static double Z(Arm a, Arm b)
    {
        if (a.People == 0 || b.People == 0) return 0;
        var pooled = (double)(a.Rewarded + b.Rewarded) / (a.People + b.People);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / a.People + 1.0 / b.People));
        return se == 0 ? 0 : (b.Rate - a.Rate) / se;
    }

    /// <summary>The mSPRT statistic Λ of <paramref name="b"/> against <paramref name="a"/> with mixing spread <paramref name="tau"/>; 1 (no evidence) before both arms have data.</summary>
    public static double Lambda(Arm a, Arm b, double tau)
    {
        if (a.People < MinPerArm || b.People < MinPerArm) return 1;
        var pooled = (double)(a.Rewarded + b.Rewarded) / (a.People + b.People);
        var v = pooled * (1 - pooled) * (1.0 / a.People + 1.0 / b.People);
        if (v == 0) return 1;
        var t2 = tau * tau;
        var diff = b.Rate - a.Rate;
        return Math.Sqrt(v / (v + t2)) * Math.Exp(t2 * diff * diff / (2 * v * (v + t2)));
    }

    /// <summary>The sequential test starts reading after this many people per arm: the normal approximation needs a few.</summary>
    public const int MinPerArm = 30;

    /// <summary>The 95 % Wilson score interval of a rate.</summary>
    public static (double Low, double High) Wilson(int rewarded, int people, double z = 1.959964)
    {
        if (people == 0) return (0, 1);
        var p = (double)rewarded / people;
        var z2 = z * z;
        var centre = (p + z2 / (2 * people)) / (1 + z2 / people);
        var half = z * Math.Sqrt(p * (1 - p) / people + z2 / (4.0 * people * people)) / (1 + z2 / people);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public static TestVerdict Decide(VariantTest test, IReadOnlyList<Arm> arms)
    {
        var baseline = arms.FirstOrDefault(a => a.Key == VariantAssignment.Control && a.People > 0) ?? arms.First(a => a.Key != VariantAssignment.Control);
        var challengers = arms.Where(a => a != baseline && !(a.Key == VariantAssignment.Control)).ToList();
        var alpha = test.Alpha / Math.Max(1, challengers.Count);
        int? required = test.Mode == TestMode.Fixed ? SampleSize(test.Baseline, test.Mde, alpha, test.Power) : null;
        var results = new List<ArmResult>();
        foreach (var a in arms)
        {
            var (low, high) = Wilson(a.Rewarded, a.People);
            double? stat = null, p = null;
            if (a != baseline && a.Key != VariantAssignment.Control)
            {
                if (test.Mode == TestMode.Fixed)
                {
                    var z = Z(baseline, a);
                    (stat, p) = (z, 2 * (1 - Normal.Cdf(Math.Abs(z))));
                }
                else
                {
                    var l = Lambda(baseline, a, test.Mde);
                    (stat, p) = (l, Math.Min(1, 1 / l));
                }
            }
            results.Add(new ArmResult(a.Key, a.People, a.Rewarded, a.Rate, low, high, stat, p));
        }
        var (winner, why) = test.Mode == TestMode.Fixed ? Fixed(baseline, results, required!.Value, alpha) : Sequential(baseline, results, alpha);
        return new TestVerdict(test.Mode, baseline.Key, required, test.Alpha, results, winner, why);
    }

    private static (string?, string) Fixed(Arm baseline, List<ArmResult> results, int required, double alpha)
    {
        var compared = results.Where(r => r.Statistic is not null).ToList();
        if (compared.Count == 0) return (null, "No winner: there is only one arm, so there is nothing to compare.");
        var smallest = results.Where(r => r.Key == baseline.Key || r.Statistic is not null).Min(r => r.People);
        if (smallest < required)
            return (null, $"No winner yet: the smallest arm has {N(smallest)} of the {N(required)} people per arm fixed up front. " +
                          "A fixed-horizon test is read once, at the horizon; reading it earlier inflates false winners.");
        var better = compared.Where(r => r.PValue < alpha && r.Rate > baseline.Rate).OrderByDescending(r => r.Rate).FirstOrDefault();
        return better is null
            ? (null, $"No winner: at {N(smallest)} people per arm no variant beats {baseline.Key} at α = {P(alpha)} (two-proportion z-test).")
            : (better.Key, $"{better.Key} wins: {P(better.Rate)} against {P(baseline.Rate)} for {baseline.Key}, z = {better.Statistic:0.00}, " +
                           $"p = {better.PValue:0.0000} < α = {P(alpha)} at the horizon of {N(required)} per arm.");
    }

    private static (string?, string) Sequential(Arm baseline, List<ArmResult> results, double alpha)
    {
        var compared = results.Where(r => r.Statistic is not null).ToList();
        if (compared.Count == 0) return (null, "No winner: there is only one arm, so there is nothing to compare.");
        var threshold = 1 / alpha;
        var better = compared.Where(r => r.Statistic >= threshold && r.Rate > baseline.Rate).OrderByDescending(r => r.Rate).FirstOrDefault();
        if (better is not null)
            return (better.Key, $"{better.Key} wins: {P(better.Rate)} against {P(baseline.Rate)} for {baseline.Key}; the sequential statistic " +
                                $"Λ = {better.Statistic:0.0} crossed 1/α = {threshold:0.#} (always-valid p = {better.PValue:0.0000}), which may be read at any time.");
        var best = compared.MaxBy(r => r.Statistic!.Value)!;
        return (null, $"No winner yet: the strongest evidence is {best.Key} with Λ = {best.Statistic:0.00}, below 1/α = {threshold:0.#}. " +
                      "The test keeps reading as sends and rewards arrive and stops when one crosses.");
    }

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
    private static string P(double r) => r.ToString("0.0#%", CultureInfo.InvariantCulture);
}
