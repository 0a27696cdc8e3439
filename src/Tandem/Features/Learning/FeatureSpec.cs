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
        var numbers = raw.Numbers!;
        var values = new double[train.Count];
        var n = 0;
        foreach (var r in train)
            if (!double.IsNaN(numbers[r])) values[n++] = numbers[r];
        if (n == 0) { dropped.Add(new(raw.Name, "empty: no value in the training window")); return null; }
        Array.Sort(values, 0, n);
        if (values[0].Equals(values[n - 1])) { dropped.Add(new(raw.Name, $"constant: always {values[0]:0.##}")); return null; }
        var median = values[n / 2];
        var cuts = Enumerable.Range(1, 9).Select(d => values[(int)((long)n * d / 10)]).Distinct().ToArray();
        var spec = new SpecFeature { Name = raw.Name, Group = raw.Group, Numeric = true, Fill = median, Slot = slot, BaselineNumber = median, Cuts = cuts };
        // The drift bins' training counts from the sorted values in one sweep (a bin per row per cut was most of fitting at 1M);
        // a missing value counts where its fill lands, as Bin puts it.
        var counts = new double[cuts.Length + 1];
        var b = 0;
        for (var i = 0; i < n; i++)
        {
            while (b < cuts.Length && values[i] > cuts[b]) b++;
            counts[b]++;
        }
        counts[spec.Bin(double.NaN)] += train.Count - n;
        return WithShares(spec, counts, train.Count);
    }

    private static SpecFeature? FitCategory(RawFeature raw, IReadOnlyList<int> train, int slot, List<DroppedFeature> dropped)
    {
        // Counted by reference first (the values are Insight's interned labels, so this is one pointer hash per row), then merged
        // by text, so equal labels that are different strings still count together.
        var byReference = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var present = 0;
        var values = raw.Categories!;
        foreach (var r in train)
            if (values[r] is { } v) { byReference[v] = byReference.GetValueOrDefault(v) + 1; present++; }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (v, c) in byReference) counts[v] = counts.GetValueOrDefault(v) + c;
        if (present == 0) { dropped.Add(new(raw.Name, "empty: no value in the training window")); return null; }
        if (counts.Count == 1 && present == train.Count) { dropped.Add(new(raw.Name, $"constant: always '{counts.Keys.First()}'")); return null; }
        var min = Math.Max(MinCategoryRows, train.Count / 1000);
        var categories = counts.Where(c => c.Value >= min).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(MaxCategories).Select(c => c.Key).ToArray();
        if (categories.Length == 0) { dropped.Add(new(raw.Name, $"every value is rarer than {min} rows")); return null; }
        var spec = new SpecFeature { Name = raw.Name, Group = raw.Group, Categories = categories, Slot = slot, BaselineCategory = categories[0] };
        // Each kept category's share is its count; "other" (rare, unseen later, and missing) holds the rest.
        var shares = new double[spec.Width];
        for (var i = 0; i < categories.Length; i++) shares[i] = counts[categories[i]];
        shares[^1] = train.Count - shares.Sum();
        return WithShares(spec, shares, train.Count);
    }

    private static SpecFeature WithShares(SpecFeature spec, double[] counts, int n) => new()
    {
        Name = spec.Name, Group = spec.Group, Numeric = spec.Numeric, Fill = spec.Fill, Categories = spec.Categories, Slot = spec.Slot,
        BaselineNumber = spec.BaselineNumber, BaselineCategory = spec.BaselineCategory, Cuts = spec.Cuts,
        TrainShares = [.. counts.Select(c => n == 0 ? 0 : c / n)],
    };

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

    /// <summary>Only feature <paramref name="i"/>'s slots of <paramref name="v"/>, from row <paramref name="r"/> (permutation importance
    /// puts another person's value of one feature into a row).</summary>
    public void WriteFeature(int i, int r, Span<float> v)
    {
        var s = _spec.Features[i];
        if (s.Numeric)
        {
            var x = _numbers[i] is { } n ? n[r] : double.NaN;
            v[s.Slot] = (float)(double.IsNaN(x) ? s.Fill : x);
            return;
        }
        v.Slice(s.Slot, s.Width).Clear();
        v[s.Slot + _slots[i]![r]] = 1;
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
