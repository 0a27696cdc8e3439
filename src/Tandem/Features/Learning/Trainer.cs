using Microsoft.ML;
using Microsoft.ML.Data;

namespace Tandem.Features.Learning;

/// <summary>A trained model ready to store: ML.NET's bytes, how to encode its inputs, and its report.</summary>
public sealed record Trained(byte[] Model, FeatureSpec Spec, LearnReport Report);

/// <summary>What a person decided before training: features confirmed as not leaking, and features to leave out.</summary>
public sealed record TrainChoices(IReadOnlySet<string> Confirmed, IReadOnlySet<string> Excluded, int? Capacity)
{
    /// <summary>How many training people the two models see at most (<see cref="Trainer.MaxTrainRows"/>; the bench varies it).</summary>
    public int MaxTrainRows { get; init; } = Trainer.MaxTrainRows;

    public static readonly TrainChoices None = new(new HashSet<string>(), new HashSet<string>(), null);
}

/// <summary>
/// Trains both models on the time split and keeps the one with the better validation AUC (decision 0067):
/// ML.NET's L-BFGS logistic regression (standardised inputs, Platt-calibrated) and FastTree (boosted trees).
/// Leak guards: a feature whose own AUC exceeds 0.95, or that alone carries most of the model's skill, is left out
/// unless confirmed, and the models are trained again without it.
/// </summary>
public static class Trainer
{
    public const double LeakAuc = 0.95, DominantShare = 0.5, DominantDrop = 0.05;
    public const int Seed = 1, ImportanceRows = 20_000;
    /// <summary>At most this many training people are fed to the two models (an even spread over the training window, so every
    /// period keeps its share): past it the AUC barely moves, while FastTree's time and the cached rows' memory grow with it.
    /// The encoding (medians, categories, drift shares) is still fitted on every training person.</summary>
    public const int MaxTrainRows = 200_000;
    public const string Logistic = "logistic regression", Trees = "boosted trees";

    public static Trained Train(Examples ex, TimeSplit split, LearnTarget target, TrainChoices choices, IProgress<string>? progress = null)
    {
        var leaks = SingleFeatureLeaks(ex, split, choices.Confirmed);
        var leaveOut = new HashSet<string>(choices.Excluded);
        leaveOut.UnionWith(leaks.Where(l => !l.Confirmed).Select(l => l.Feature));
        while (true)
        {
            var result = TrainOnce(ex, split, target, choices, leaveOut, leaks, progress);
            var top = result.Report.Importance.FirstOrDefault();
            var total = result.Report.Importance.Sum(i => Math.Max(0, i.AucDrop));
            if (top is null || top.AucDrop < DominantDrop || top.AucDrop <= DominantShare * total) return result;
            var leak = new Leak(top.Feature, $"carries {top.AucDrop / total:P0} of the model's skill on its own: check that it is known before the decision",
                SingleAuc(ex, split, ex.Features.First(f => f.Name == top.Feature)), choices.Confirmed.Contains(top.Feature));
            if (leaks.Any(l => l.Feature == top.Feature)) return result;
            leaks.Add(leak);
            if (leak.Confirmed) return With(result, leaks);
            progress?.Report($"'{top.Feature}' looks like a leak; training again without it");
            leaveOut.Add(top.Feature);
        }
    }

    private static Trained With(this Trained t, List<Leak> leaks)
    {
        t.Report.Leaks.Clear();
        t.Report.Leaks.AddRange(leaks);
        return t;
    }

    private static Trained TrainOnce(Examples ex, TimeSplit split, LearnTarget target, TrainChoices choices, HashSet<string> leaveOut,
        List<Leak> leaks, IProgress<string>? progress)
    {
        progress?.Report($"fitting the encoding on the {split.Train.Length:N0} training people");
        var spec = FeatureSpec.Fit(ex, split.Train, leaveOut);
        var encoder = spec.Encoder(ex);
        var ml = new MLContext(Seed);
        var fed = Spread(split.Train, choices.MaxTrainRows);
        // Encoded as ML.NET reads each row, into its own buffer: no vector per person, and no cache of them (both trainers copy
        // what they need into their own structures: the logistic regression its rows, FastTree its binned columns).
        var train = new EncodedView(encoder, fed, fed.Length, ex.Label);
        double[] Scores(ITransformer model, int[] rows) => PredictAll(model, new EncodedView(encoder, rows, rows.Length, null));
        bool[] Labels(int[] rows) => [.. rows.Select(r => ex.Label[r])];

        progress?.Report($"training the {Logistic} on {fed.Length:N0} people{(fed.Length < split.Train.Length ? $" (an even spread of the {split.Train.Length:N0} in the window)" : "")}, {spec.Features.Count} features");
        var lr = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(l2Regularization: 1f, l1Regularization: 0f)).Fit(train);
        progress?.Report($"training the {Trees}");
        var ft = ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 16, numberOfTrees: 200, minimumExampleCountPerLeaf: 50, learningRate: 0.1)
            .Fit(train);
        progress?.Report("scoring the validation and test sets");
        var results = new List<(string Name, ITransformer Model, double Val, double[] TestP)>();
        foreach (var (name, model) in new (string, ITransformer)[] { (Logistic, lr), (Trees, ft) })
        {
            var val = ModelMetrics.Auc(Scores(model, split.Validation), Labels(split.Validation));
            results.Add((name, model, val, Scores(model, split.Test)));
        }
        var best = results.OrderByDescending(r => double.IsNaN(r.Val) ? -1 : r.Val).First();
        var testLabels = Labels(split.Test);
        progress?.Report("measuring permutation importance");
        var importance = PermutationImportance(best.Model, spec, encoder, ex, split.Test);
        var capacity = choices.Capacity;
        var k = capacity is > 0 ? Math.Min(capacity.Value, split.Test.Length) : Math.Max(1, split.Test.Length / 10);
        var report = new LearnReport
        {
            Target = target,
            Train = Size(ex, split.Train), Validation = Size(ex, split.Validation), Test = Size(ex, split.Test),
            Trainers = [.. results.Select(r => new TrainerResult(r.Name, r.Val, ModelMetrics.Auc(r.TestP, testLabels)))],
            Chosen = best.Name,
            Auc = ModelMetrics.Auc(best.TestP, testLabels),
            PrAuc = ModelMetrics.PrAuc(best.TestP, testLabels),
            LogLoss = ModelMetrics.LogLoss(best.TestP, testLabels),
            Brier = ModelMetrics.Brier(best.TestP, testLabels),
            BaseRate = testLabels.Count(l => l) / (double)testLabels.Length,
            Deciles = ModelMetrics.Deciles(best.TestP, testLabels),
            Calibration = ModelMetrics.Calibration(best.TestP, testLabels),
            K = k,
            KSource = capacity is > 0 ? "sales capacity per week (routing seats)" : "a tenth of the test set (no routing seats with a capacity)",
            PrecisionAtK = ModelMetrics.PrecisionAt(best.TestP, testLabels, k),
            Importance = importance,
            Dropped = spec.Dropped,
            Leaks = [.. leaks],
        };
        using var stream = new MemoryStream();
        ml.Model.Save(best.Model, train.Schema, stream);
        return new Trained(stream.ToArray(), spec, report);
    }

    private static SetSize Size(Examples ex, int[] rows) => new(rows.Length, rows.Count(r => ex.Label[r]),
        Insight.Clock.ToDate(ex.Decision[rows[0]]), Insight.Clock.ToDate(ex.Decision[rows[^1]]));

    internal sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    internal static SchemaDefinition Schema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    /// <summary>The <c>Probability</c> of every row of <paramref name="view"/>, in order, through one cursor.</summary>
    internal static double[] PredictAll(ITransformer model, IDataView view)
    {
        var p = new double[view.GetRowCount() ?? throw new ArgumentException("the rows must be counted", nameof(view))];
        var i = 0;
        var scored = model.Transform(view);
        using var cursor = scored.GetRowCursor([scored.Schema["Probability"]]);
        var get = cursor.GetGetter<float>(scored.Schema["Probability"]);
        float value = 0;
        while (cursor.MoveNext()) { get(ref value); p[i++] = value; }
        return p;
    }

    internal static double[] Predict(ITransformer model, IDataView data) =>
        [.. model.Transform(data).GetColumn<float>("Probability").Select(p => (double)p)];

    /// <summary>Test AUC lost when one feature's values are shuffled among the test people (at most <see cref="ImportanceRows"/>);
    /// the shuffled value is written into each row as it is read, so no copy of the rows is made per feature.</summary>
    private static List<Importance> PermutationImportance(ITransformer model, FeatureSpec spec, RowEncoder encoder, Examples ex, int[] test)
    {
        var rows = Spread(test, ImportanceRows);
        var labels = rows.Select(r => ex.Label[r]).ToArray();
        double Score((int, int[])? swap) => ModelMetrics.Auc(PredictAll(model, new EncodedView(encoder, rows, rows.Length, null, swap)), labels);
        var baseline = Score(null);
        var random = new Random(Seed);
        var result = new List<Importance>();
        for (var f = 0; f < spec.Features.Count; f++)
        {
            var order = Enumerable.Range(0, rows.Length).ToArray();
            random.Shuffle(order);
            var s = spec.Features[f];
            result.Add(new Importance(s.Name, s.Group, baseline - Score((f, order))));
        }
        return [.. result.OrderByDescending(i => i.AucDrop)];
    }

    /// <summary>At most <paramref name="max"/> of <paramref name="rows"/>, evenly spread and in their order (all of them when fewer).</summary>
    internal static int[] Spread(int[] rows, int max) =>
        rows.Length <= max ? rows : [.. rows.Where((_, i) => (long)i * max / rows.Length != (long)(i + 1) * max / rows.Length)];

    /// <summary>Features whose own AUC on the validation set exceeds <see cref="LeakAuc"/>.</summary>
    private static List<Leak> SingleFeatureLeaks(Examples ex, TimeSplit split, IReadOnlySet<string> confirmed)
    {
        var leaks = new List<Leak>();
        foreach (var f in ex.Features)
        {
            var auc = SingleAuc(ex, split, f);
            if (auc > LeakAuc)
                leaks.Add(new Leak(f.Name, $"predicts the outcome almost alone (AUC {auc:0.000}): probably recorded after the decision", auc, confirmed.Contains(f.Name)));
        }
        return leaks;
    }

    /// <summary>
    /// One feature's own AUC on the validation set, either direction: a number as it is; a category by its training rate.
    /// </summary>
    internal static double SingleAuc(Examples ex, TimeSplit split, RawFeature f)
    {
        var labels = split.Validation.Select(r => ex.Label[r]).ToArray();
        double[] scores;
        if (f.IsNumeric) scores = [.. split.Validation.Select(r => double.IsNaN(f.Numbers![r]) ? double.MinValue : f.Numbers![r])];
        else
        {
            // Counted by reference (Insight's labels are interned: a pointer hash per row, not a string hash), then merged by text.
            var byReference = new Dictionary<string, (int Pos, int N)>(ReferenceEqualityComparer.Instance);
            foreach (var r in split.Train)
            {
                var key = f.Categories![r] ?? "";
                var (p, n) = byReference.GetValueOrDefault(key);
                byReference[key] = (p + (ex.Label[r] ? 1 : 0), n + 1);
            }
            var rates = new Dictionary<string, (int Pos, int N)>(StringComparer.Ordinal);
            foreach (var (key, (p, n)) in byReference)
            {
                var (p0, n0) = rates.GetValueOrDefault(key);
                rates[key] = (p0 + p, n0 + n);
            }
            var prior = split.Train.Count(r => ex.Label[r]) / (double)split.Train.Length;
            var rate = new Dictionary<string, double>(ReferenceEqualityComparer.Instance);
            scores = new double[split.Validation.Length];
            for (var i = 0; i < scores.Length; i++)
            {
                var key = f.Categories![split.Validation[i]] ?? "";
                if (!rate.TryGetValue(key, out var x))
                    rate[key] = x = rates.TryGetValue(key, out var c) ? (c.Pos + prior * 10) / (c.N + 10) : prior;
                scores[i] = x;
            }
        }
        var auc = ModelMetrics.Auc(scores, labels);
        return double.IsNaN(auc) ? 0.5 : Math.Max(auc, 1 - auc);
    }
}
