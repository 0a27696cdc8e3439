namespace Tandem.Features.Learning;

/// <summary>One kept feature: how a raw value becomes model inputs (slots). Stored with the model as JSON.</summary>
public sealed class SpecFeature
{
    public required string Name { get; init; }
    public required string Group { get; init; }
    public bool Numeric { get; init; }
    /// <summary>Numeric: what a missing value becomes (the training median).</summary>
    public double Fill { get; init; }
    /// <summary>Categorical: the categories seen often enough in training; everything else is "other".</summary>
    public string[] Categories { get; init; } = [];
    /// <summary>The first slot of this feature in the model's input vector.</summary>
    public int Slot { get; init; }
    /// <summary>What an explanation compares a person with: the training median, or the commonest category.</summary>
    public double BaselineNumber { get; init; }
    public string? BaselineCategory { get; init; }
    /// <summary>Drift bins: numeric cut points (training deciles), and the training share of each bin (or category slot).</summary>
    public double[] Cuts { get; init; } = [];
    public double[] TrainShares { get; init; } = [];

    public int Width => Numeric ? 1 : Categories.Length + 1;
    public const string Other = "other";

    /// <summary>The slot of a category within this feature; the last slot is "other" (also unseen and missing values).</summary>
    public int CategorySlot(string? value)
    {
        if (value is null) return Categories.Length;
        var i = Array.IndexOf(Categories, value);
        return i < 0 ? Categories.Length : i;
    }

    public int Bin(double value)
    {
        if (Numeric)
        {
            var v = double.IsNaN(value) ? Fill : value;
            var b = 0;
            while (b < Cuts.Length && v > Cuts[b]) b++;
            return b;
        }
        return (int)value;
    }
}

/// <summary>A feature left out of a model, and why (constant, empty, probable leak…).</summary>
public sealed record DroppedFeature(string Name, string Reason);

/// <summary>
/// Turns raw features into the model's input vector: numbers as they are (missing → training median), categories one-hot
/// with rare and unseen values in "other". Fitted on the training rows only, so validation and test see nothing of themselves.
/// </summary>
public sealed class FeatureSpec
{
    public const int MinCategoryRows = 5, MaxCategories = 40;

    public required List<SpecFeature> Features { get; init; }
    public required List<DroppedFeature> Dropped { get; init; }
    public int Width => Features.Count == 0 ? 0 : Features[^1].Slot + Features[^1].Width;

    public static FeatureSpec Fit(Examples ex, IReadOnlyList<int> train, IReadOnlySet<string> leaveOut)
    {
        var kept = new List<SpecFeature>();
        var dropped = new List<DroppedFeature>();
        var slot = 0;
        foreach (var raw in ex.Features)
        {
            if (leaveOut.Contains(raw.Name)) continue;
            SpecFeature? spec = raw.IsNumeric ? FitNumber(raw, train, slot, dropped) : FitCategory(raw, train, slot, dropped);
            if (spec is null) continue;
            kept.Add(spec);
            slot += spec.Width;
        }
        return new FeatureSpec { Features = kept, Dropped = dropped };
    }

    private static SpecFeature? FitNumber(RawFeature raw, IReadOnlyList<int> train, int slot, List<DroppedFeature> dropped)
    {
        var values = train.Select(r => raw.Numbers![r]).Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0) { dropped.Add(new(raw.Name, "empty: no value in the training window")); return null; }
        Array.Sort(values);
        if (values[0].Equals(values[^1])) { dropped.Add(new(raw.Name, $"constant: always {values[0]:0.##}")); return null; }
        var median = values[values.Length / 2];
        var cuts = Enumerable.Range(1, 9).Select(d => values[(int)((long)values.Length * d / 10)]).Distinct().ToArray();
        var spec = new SpecFeature { Name = raw.Name, Group = raw.Group, Numeric = true, Fill = median, Slot = slot, BaselineNumber = median, Cuts = cuts };
        return WithShares(spec, train.Select(r => spec.Bin(raw.Numbers![r])));
    }

    private static SpecFeature? FitCategory(RawFeature raw, IReadOnlyList<int> train, int slot, List<DroppedFeature> dropped)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var present = 0;
        foreach (var r in train)
            if (raw.Categories![r] is { } v) { counts[v] = counts.GetValueOrDefault(v) + 1; present++; }
        if (present == 0) { dropped.Add(new(raw.Name, "empty: no value in the training window")); return null; }
        if (counts.Count == 1 && present == train.Count) { dropped.Add(new(raw.Name, $"constant: always '{counts.Keys.First()}'")); return null; }
        var min = Math.Max(MinCategoryRows, train.Count / 1000);
        var categories = counts.Where(c => c.Value >= min).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(MaxCategories).Select(c => c.Key).ToArray();
        if (categories.Length == 0) { dropped.Add(new(raw.Name, $"every value is rarer than {min} rows")); return null; }
        var spec = new SpecFeature { Name = raw.Name, Group = raw.Group, Categories = categories, Slot = slot, BaselineCategory = categories[0] };
        return WithShares(spec, train.Select(r => spec.CategorySlot(raw.Categories![r])));
    }

    private static SpecFeature WithShares(SpecFeature spec, IEnumerable<int> bins)
    {
        var counts = new double[spec.Numeric ? spec.Cuts.Length + 1 : spec.Width];
        var n = 0;
        foreach (var b in bins) { counts[b]++; n++; }
        return new SpecFeature
        {
            Name = spec.Name, Group = spec.Group, Numeric = spec.Numeric, Fill = spec.Fill, Categories = spec.Categories, Slot = spec.Slot,
            BaselineNumber = spec.BaselineNumber, BaselineCategory = spec.BaselineCategory, Cuts = spec.Cuts,
            TrainShares = [.. counts.Select(c => n == 0 ? 0 : c / n)],
        };
    }

    /// <summary>The raw column each kept feature reads (by name).</summary>
    public RawFeature[] Columns(Examples ex) => [.. Features.Select(s => ex.Features.First(f => f.Name == s.Name))];

    /// <summary>The encoder for the rows of <paramref name="ex"/>: each category's slot looked up once per row up front, so encoding
    /// a row is array reads (scoring a million people compared strings per row and category before).</summary>
    public RowEncoder Encoder(Examples ex) => new(this, Columns(ex), ex.Count);

    /// <summary>Row <paramref name="r"/>'s input vector.</summary>
    public float[] Encode(RawFeature[] columns, int r)
    {
        var v = new float[Width];
        for (var i = 0; i < Features.Count; i++) Write(Features[i], columns[i], r, v);
        return v;
    }

    public static void Write(SpecFeature s, RawFeature col, int r, float[] v)
    {
        if (s.Numeric)
        {
            var x = col.Numbers is { } n ? n[r] : double.NaN;
            v[s.Slot] = (float)(double.IsNaN(x) ? s.Fill : x);
        }
        else
        {
            for (var k = 0; k < s.Width; k++) v[s.Slot + k] = 0;
            v[s.Slot + s.CategorySlot(col.Categories?[r])] = 1;
        }
    }

    /// <summary>The person's value of a feature in words: "12", "Education", or "other (Zoology)" when unseen in training.</summary>
    public static string Describe(SpecFeature s, RawFeature col, int r)
    {
        if (s.Numeric)
        {
            var x = col.Numbers![r];
            return double.IsNaN(x) ? "unknown" : x.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        }
        var c = col.Categories![r];
        if (c is null) return "none";
        return s.CategorySlot(c) < s.Categories.Length ? c : $"{SpecFeature.Other} ({c})";
    }
}

/// <summary>
/// The kept features of a set of rows, ready to encode: numbers as the raw column holds them, categories as their slot
/// within the feature (computed once per distinct value, by reference: the values are Insight's interned labels).
/// Writing a row fills a caller's buffer, so a scoring pass allocates no vector per person.
/// </summary>
public sealed class RowEncoder
{
    private readonly FeatureSpec _spec;
    private readonly double[]?[] _numbers;
    private readonly int[]?[] _slots;

    public int Width => _spec.Width;

    internal RowEncoder(FeatureSpec spec, RawFeature[] columns, int count)
    {
        _spec = spec;
        _numbers = new double[]?[spec.Features.Count];
        _slots = new int[]?[spec.Features.Count];
        for (var i = 0; i < spec.Features.Count; i++)
        {
            var s = spec.Features[i];
            if (s.Numeric) { _numbers[i] = columns[i].Numbers; continue; }
            var slots = new int[count];
            var values = columns[i].Categories;
            var known = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
            for (var r = 0; r < count; r++)
            {
                var v = values?[r];
                if (v is null) { slots[r] = s.Categories.Length; continue; }
                if (!known.TryGetValue(v, out var slot)) known[v] = slot = s.CategorySlot(v);
                slots[r] = slot;
            }
            _slots[i] = slots;
        }
    }

    /// <summary>Row <paramref name="r"/>'s input vector into <paramref name="v"/> (of <see cref="Width"/>), as <see cref="FeatureSpec.Encode"/> writes it.</summary>
    public void Write(int r, Span<float> v)
    {
        v.Clear();
        var features = _spec.Features;
        for (var i = 0; i < features.Count; i++)
        {
            var s = features[i];
            if (s.Numeric)
            {
                var x = _numbers[i] is { } n ? n[r] : double.NaN;
                v[s.Slot] = (float)(double.IsNaN(x) ? s.Fill : x);
            }
            else v[s.Slot + _slots[i]![r]] = 1;
        }
    }

    public float[] Encode(int r)
    {
        var v = new float[Width];
        Write(r, v);
        return v;
    }

    /// <summary>Feature <paramref name="i"/>'s drift bin for row <paramref name="r"/>: a numeric bin, or the category slot.</summary>
    public int Bin(int i, int r)
    {
        var s = _spec.Features[i];
        return s.Numeric ? s.Bin(_numbers[i] is { } n ? n[r] : double.NaN) : _slots[i]![r];
    }
}
