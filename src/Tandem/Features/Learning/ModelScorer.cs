using Microsoft.ML;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>One factor of an explanation: how much the probability moves because of this value, in words.</summary>
public sealed record Factor(string Feature, string Value, double Delta)
{
    public string Sentence => $"{(Delta >= 0 ? "+" : "−")}{Math.Abs(Delta):0.00} {Feature}: {Value}";
}

/// <summary>A person's probability under a model, and the values that raise and lower it most.</summary>
public sealed record Explanation(int ModelNumber, string Target, double Probability, IReadOnlyList<Factor> Raising, IReadOnlyList<Factor> Lowering);

/// <summary>
/// A stored model loaded for scoring: encodes people with its <see cref="FeatureSpec"/> and asks ML.NET for probabilities.
/// Explanations compare the person with a copy whose one feature is set to the training baseline (median or commonest
/// category): the change in probability is that feature's part, in the same units as the score (decision 0069).
/// </summary>
public sealed class ModelScorer
{
    public const int FactorsEachWay = 3;
    public const double SmallestFactor = 0.005;

    private readonly MLContext _ml = new(Trainer.Seed);
    private readonly ITransformer _model;
    private readonly Microsoft.ML.Data.SchemaDefinition _schema;

    public LearnedModel Row { get; }
    public FeatureSpec Spec { get; }

    public ModelScorer(LearnedModel row)
    {
        Row = row;
        Spec = row.Spec();
        using var stream = new MemoryStream(row.Model);
        _model = _ml.Model.Load(stream, out _);
        _schema = Trainer.Schema(Spec.Width);
    }

    public double[] Score(IEnumerable<float[]> vectors) =>
        Trainer.Predict(_model, _ml.Data.LoadFromEnumerable(vectors.Select(v => new Trainer.Row { Features = v }), _schema));

    /// <summary>Everyone in <paramref name="ex"/>, in one batch transform: each row is encoded straight into ML.NET's reused
    /// buffer as its cursor reads it, so memory stays flat and nothing is allocated per person.</summary>
    public double[] ScoreAll(Examples ex) => Trainer.PredictAll(_model, new EncodedView(Spec.Encoder(ex), null, ex.Count, null));

    /// <summary>Rows <paramref name="rows"/> of <paramref name="encoder"/>, in that order, the same way.</summary>
    public double[] ScoreRows(RowEncoder encoder, IReadOnlyList<int> rows) => Trainer.PredictAll(_model, new EncodedView(encoder, rows, rows.Count, null));

    /// <summary>Population stability per feature: training shares against the shares among <paramref name="ex"/>.</summary>
    public List<Drift> Drift(Examples ex) => Drift(Spec.Encoder(ex), ex.Count);

    public List<Drift> Drift(RowEncoder encoder, int count)
    {
        var result = new List<Drift>();
        for (var i = 0; i < Spec.Features.Count; i++)
        {
            var s = Spec.Features[i];
            var counts = new double[s.TrainShares.Length];
            for (var r = 0; r < count; r++) counts[encoder.Bin(i, r)]++;
            result.Add(new Drift(s.Name, ModelMetrics.Psi(s.TrainShares, [.. counts.Select(c => count == 0 ? 0 : c / count)])));
        }
        return [.. result.OrderByDescending(d => d.Psi)];
    }

    /// <summary>Scores and drift of everyone in <paramref name="ex"/> from one encoder (the scoring pass).</summary>
    public (double[] P, List<Drift> Drift) ScoreWithDrift(Examples ex)
    {
        var encoder = Spec.Encoder(ex);
        return (Trainer.PredictAll(_model, new EncodedView(encoder, null, ex.Count, null)), Drift(encoder, ex.Count));
    }

    /// <summary>Row <paramref name="r"/> of <paramref name="ex"/> explained.</summary>
    public Explanation Explain(Examples ex, int r)
    {
        var columns = Spec.Columns(ex);
        var person = Spec.Encode(columns, r);
        var variants = new List<float[]> { person };
        foreach (var s in Spec.Features)
        {
            var v = (float[])person.Clone();
            if (s.Numeric) v[s.Slot] = (float)s.BaselineNumber;
            else
            {
                for (var k = 0; k < s.Width; k++) v[s.Slot + k] = 0;
                v[s.Slot + s.CategorySlot(s.BaselineCategory)] = 1;
            }
            variants.Add(v);
        }
        var p = Score(variants);
        var factors = Spec.Features.Select((s, i) => new Factor(s.Name, FeatureSpec.Describe(s, columns[i], r), p[0] - p[i + 1]))
            .Where(f => Math.Abs(f.Delta) >= SmallestFactor).ToList();
        return new Explanation(Row.Number, Row.Target.Sentence, p[0],
            [.. factors.Where(f => f.Delta > 0).OrderByDescending(f => f.Delta).Take(FactorsEachWay)],
            [.. factors.Where(f => f.Delta < 0).OrderBy(f => f.Delta).Take(FactorsEachWay)]);
    }
}
