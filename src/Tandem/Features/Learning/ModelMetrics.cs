namespace Tandem.Features.Learning;

/// <summary>One decile of the scored test set, best scores first (docs/metrics.md, Learning).</summary>
public sealed record Decile(int Number, int Count, int Positives, double Rate, double Lift, double CumulativeGain);

/// <summary>One calibration bin: predictions in [From, To), their mean, and what happened.</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double Observed);

/// <summary>
/// The model report's figures, computed from scores and outcomes alone (pure), so the rule score and both trainers are
/// measured by the same code. Definitions in docs/metrics.md, section Learning.
/// </summary>
public static class ModelMetrics
{
    /// <summary>Area under the ROC curve: the chance a random positive scores above a random negative (ties count half).</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        // Array.Sort on a copy of the scores with the positions alongside: ties are averaged below, so their order does not
        // matter, and it is several times faster than a LINQ OrderBy (the leak checks compute one AUC per feature).
        var sorted = new double[scores.Count];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = scores[i];
        var order = new int[sorted.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(sorted, order);
        double rankSum = 0;
        long pos = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j < order.Length && sorted[j].Equals(sorted[i])) j++;
            var avgRank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
                if (labels[order[k]]) { rankSum += avgRank; pos++; }
            i = j;
        }
        var neg = scores.Count - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double)neg);
    }

    /// <summary>Area under the precision-recall curve as average precision: the mean precision at each positive, best first.</summary>
    public static double PrAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var total = labels.Count(l => l);
        if (total == 0) return double.NaN;
        double sum = 0;
        var hits = 0;
        for (var k = 0; k < order.Length; k++)
            if (labels[order[k]]) { hits++; sum += hits / (double)(k + 1); }
        return sum / total;
    }

    /// <summary>Mean negative log-likelihood in bits per example (ML.NET's convention), probabilities clipped to 1e-15.</summary>
    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp(labels[i] ? p[i] : 1 - p[i], 1e-15, 1);
            sum -= Math.Log2(q);
        }
        return p.Count == 0 ? double.NaN : sum / p.Count;
    }

    /// <summary>Mean squared difference between the probability and the outcome (0 or 1).</summary>
    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < p.Count; i++) sum += Math.Pow(p[i] - (labels[i] ? 1 : 0), 2);
        return p.Count == 0 ? double.NaN : sum / p.Count;
    }

    /// <summary>Ten groups of (nearly) equal size by score, best first: rate, lift over the base rate, cumulative share of positives.</summary>
    public static IReadOnlyList<Decile> Deciles(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var total = labels.Count(l => l);
        var baseRate = scores.Count == 0 ? 0 : total / (double)scores.Count;
        var result = new List<Decile>(10);
        var cumulative = 0;
        for (var d = 0; d < 10; d++)
        {
            int from = (int)((long)order.Length * d / 10), to = (int)((long)order.Length * (d + 1) / 10);
            var positives = 0;
            for (var k = from; k < to; k++) if (labels[order[k]]) positives++;
            cumulative += positives;
            var count = to - from;
            var rate = count == 0 ? 0 : positives / (double)count;
            result.Add(new Decile(d + 1, count, positives, rate, baseRate == 0 ? 0 : rate / baseRate, total == 0 ? 0 : cumulative / (double)total));
        }
        return result;
    }

    /// <summary>Ten equal-width bins of predicted probability: mean prediction against the observed rate (the reliability diagram).</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> p, IReadOnlyList<bool> labels)
    {
        var count = new int[10];
        var sumP = new double[10];
        var pos = new int[10];
        for (var i = 0; i < p.Count; i++)
        {
            var b = Math.Clamp((int)(p[i] * 10), 0, 9);
            count[b]++;
            sumP[b] += p[i];
            if (labels[i]) pos[b]++;
        }
        return [.. Enumerable.Range(0, 10).Select(b => new CalibrationBin(b / 10.0, (b + 1) / 10.0, count[b],
            count[b] == 0 ? 0 : sumP[b] / count[b], count[b] == 0 ? 0 : pos[b] / (double)count[b]))];
    }

    /// <summary>The share of positives among the <paramref name="k"/> best-scored.</summary>
    public static double PrecisionAt(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, int k)
    {
        k = Math.Min(k, scores.Count);
        if (k <= 0) return double.NaN;
        var top = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).Take(k);
        return top.Count(i => labels[i]) / (double)k;
    }

    /// <summary>Positions in <paramref name="scores"/>, best first, in the order <see cref="Deciles"/> and <see cref="PrecisionAt"/>
    /// rank them (a stable sort, ties by position), so a drill-down lists exactly the people a figure counted.</summary>
    public static int[] BestFirst(IReadOnlyList<double> scores) => [.. Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i])];

    /// <summary>The positions in decile <paramref name="number"/> (1 = best scores), best first.</summary>
    public static int[] DecileMembers(IReadOnlyList<double> scores, int number)
    {
        var order = BestFirst(scores);
        var d = Math.Clamp(number, 1, 10) - 1;
        int from = (int)((long)order.Length * d / 10), to = (int)((long)order.Length * (d + 1) / 10);
        return order[from..to];
    }

    /// <summary>The positions whose probability falls in calibration bin <paramref name="bin"/> (0 = [0, 0.1)), best first.</summary>
    public static int[] BinMembers(IReadOnlyList<double> p, int bin) =>
        [.. BestFirst(p).Where(i => Math.Clamp((int)(p[i] * 10), 0, 9) == bin)];

    /// <summary>The <paramref name="k"/> best-scored positions: the people precision at K is about.</summary>
    public static int[] TopMembers(IReadOnlyList<double> scores, int k) => [.. BestFirst(scores).Take(Math.Max(0, k))];

    /// <summary>
    /// Population stability index of one feature between training (expected) and now (actual) shares per bin:
    /// Σ (a − e) · ln(a / e), shares floored at 0.0001 so an empty bin does not divide by zero.
    /// </summary>
    public static double Psi(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        double psi = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            double e = Math.Max(expected[i], 1e-4), a = Math.Max(actual[i], 1e-4);
            psi += (a - e) * Math.Log(a / e);
        }
        return psi;
    }

    /// <summary>Wilson score interval for a rate (95 % by default): sound for small samples and rates near 0 or 1.</summary>
    public static (double Low, double High) Wilson(int successes, int n, double z = 1.959964)
    {
        if (n == 0) return (0, 1);
        var p = successes / (double)n;
        var denom = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denom;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
