using Tandem.Features.Learning;

namespace Tandem.Tests.Learning;

public class ModelMetricsTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Labels = [false, false, true, true];

    [Fact]
    public void Auc_counts_the_pairs_a_positive_wins_and_ties_as_half()
    {
        Assert.Equal(0.75, ModelMetrics.Auc(Scores, Labels), 10); // 3 of the 4 positive-negative pairs ranked right
        Assert.Equal(1.0, ModelMetrics.Auc([0.1, 0.2, 0.9], [false, false, true]), 10);
        Assert.Equal(0.0, ModelMetrics.Auc([0.9, 0.2], [false, true]), 10);
        Assert.Equal(0.5, ModelMetrics.Auc([0.5, 0.5, 0.5], [false, true, true]), 10);
        Assert.True(double.IsNaN(ModelMetrics.Auc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void Pr_auc_is_the_mean_precision_at_each_positive()
    {
        // Best first: 0.8 (hit: 1/1), 0.4 (miss), 0.35 (hit: 2/3), 0.1.
        Assert.Equal((1 + 2 / 3.0) / 2, ModelMetrics.PrAuc(Scores, Labels), 10);
    }

    [Fact]
    public void Log_loss_is_in_bits_and_brier_is_the_squared_error()
    {
        Assert.Equal(1.0, ModelMetrics.LogLoss([0.5, 0.5], [true, false]), 10);
        Assert.Equal((0.01 + 0.16 + 0.4225 + 0.04) / 4, ModelMetrics.Brier(Scores, Labels), 10);
    }

    [Fact]
    public void Deciles_give_lift_over_the_base_rate_and_cumulative_gains()
    {
        var scores = Enumerable.Range(0, 100).Select(i => 1 - i / 100.0).ToArray();
        var labels = Enumerable.Range(0, 100).Select(i => i < 10 || i == 50).ToArray(); // 11 positives, 10 in the top decile
        var d = ModelMetrics.Deciles(scores, labels);
        Assert.Equal(10, d.Count);
        Assert.Equal((10, 10), (d[0].Count, d[0].Positives));
        Assert.Equal(1.0 / 0.11, d[0].Lift, 6);
        Assert.Equal(10 / 11.0, d[0].CumulativeGain, 6);
        Assert.Equal(1.0, d[9].CumulativeGain, 6);
        Assert.Equal(1, d[5].Positives);
    }

    [Fact]
    public void Calibration_bins_compare_the_mean_prediction_with_what_happened()
    {
        var bins = ModelMetrics.Calibration([0.05, 0.07, 0.91, 0.99, 1.0], [false, true, true, true, false]);
        Assert.Equal(10, bins.Count);
        Assert.Equal((2, 0.06, 0.5), (bins[0].Count, Math.Round(bins[0].MeanPredicted, 6), bins[0].Observed));
        Assert.Equal(3, bins[9].Count); // 1.0 falls in the last bin
        Assert.Equal(2 / 3.0, bins[9].Observed, 6);
    }

    [Fact]
    public void Precision_at_k_psi_and_wilson()
    {
        Assert.Equal(0.5, ModelMetrics.PrecisionAt(Scores, Labels, 2));
        Assert.Equal(1.0, ModelMetrics.PrecisionAt(Scores, Labels, 1));
        Assert.Equal(0, ModelMetrics.Psi([0.5, 0.5], [0.5, 0.5]), 10);
        Assert.Equal((0.6 - 0.4) * Math.Log(0.6 / 0.4) + (0.4 - 0.6) * Math.Log(0.4 / 0.6), ModelMetrics.Psi([0.4, 0.6], [0.6, 0.4]), 10);
        var (low, high) = ModelMetrics.Wilson(5, 10);
        Assert.Equal(0.2366, low, 4);
        Assert.Equal(0.7634, high, 4);
    }
}
