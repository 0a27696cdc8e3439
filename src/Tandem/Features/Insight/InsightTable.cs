using System.Globalization;
using System.Text;

namespace Tandem.Features.Insight;

/// <summary>A column of a report. Kind says how to show it: text, count, rate (0..1), days, money (major units), ratio.</summary>
public sealed record InsightColumn(string Key, string Label, string Kind);

/// <summary>
/// One row: its key values (segment, period, currency…) and one value per column. A value is null when it has no
/// meaning (a rate over nobody), never NaN. <see cref="Drill"/> holds, per column, the API address of the records
/// behind the number (null for columns that are not drillable).
/// </summary>
public sealed record InsightRow(IReadOnlyList<string> Keys, IReadOnlyList<double?> Values, IReadOnlyList<string?> Drill)
{
    public double? this[InsightTable t, string column] => Values[t.IndexOf(column)];
}

/// <summary>What every report answers: the same shape for the API, CSV, the CLI and the pages.</summary>
public sealed record InsightTable(string Report, string Title, IReadOnlyList<InsightColumn> KeyColumns,
    IReadOnlyList<InsightColumn> Columns, IReadOnlyList<InsightRow> Rows, IReadOnlyList<string> Notes)
{
    /// <summary>Every change committed before this instant is counted (the in-memory history follows the database; decision 0042).</summary>
    public DateTime? AsOf { get; init; }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i].Key == column) return i;
        throw new KeyNotFoundException($"Report {Report} has no column '{column}'.");
    }

    /// <summary>The first row whose keys start with the given values.</summary>
    public InsightRow? Row(params string[] keys) =>
        Rows.FirstOrDefault(r => keys.Select((k, i) => i < r.Keys.Count && r.Keys[i] == k).All(x => x));

    /// <summary>RFC 4180 CSV: a header, then one line per row; numbers in invariant culture, rates as fractions; text cells that
    /// a spreadsheet would run as formulas are neutralised (<see cref="Api.CsvCell"/>).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', KeyColumns.Concat(Columns).Select(c => Quote(c.Key))).Append("\r\n");
        foreach (var r in Rows)
        {
            sb.AppendJoin(',', r.Keys.Select(Quote).Concat(r.Values.Select(v => v is { } d ? d.ToString("0.######", CultureInfo.InvariantCulture) : "")));
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Quote(string s) => Api.CsvCell.Text(s);
}

/// <summary>Small numeric helpers every report shares; pure.</summary>
public static class InsightMath
{
    /// <summary>part / whole, or null when whole is 0: an empty period gives an empty answer, never NaN.</summary>
    public static double? Rate(double part, double whole) => whole > 0 ? part / whole : null;

    /// <summary>
    /// Linear-interpolated percentile (p in 0..1) of a list it reorders in place; null for an empty list. It selects
    /// the two order statistics it needs (quickselect, linear time) rather than sorting: a cohort of a million people
    /// has hundreds of thousands of durations per stage.
    /// </summary>
    public static double? Percentile(List<float> values, double p)
    {
        if (values.Count == 0) return null;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        var pos = p * (span.Length - 1);
        var lo = (int)Math.Floor(pos);
        var low = Select(span, lo);
        var high = low;
        if (lo + 1 < span.Length)
        {
            high = float.MaxValue; // after the selection everything right of lo is at least low: its minimum is the next statistic
            foreach (var v in span[(lo + 1)..]) if (v < high) high = v;
        }
        return Math.Round(low + (high - low) * (pos - lo), 2);
    }

    /// <summary>Rearranges <paramref name="a"/> so a[k] is the k-th smallest, smaller ones left of it, larger right (Hoare).</summary>
    public static T Select<T>(Span<T> a, int k) where T : struct, System.Numerics.IComparisonOperators<T, T, bool>
    {
        int left = 0, right = a.Length - 1;
        while (left < right)
        {
            var pivot = a[left + (right - left) / 2];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else break;
        }
        return a[k];
    }

    public static double? Mean(List<float> values) => values.Count == 0 ? null : Math.Round(values.Average(), 2);

    public static double Major(long minor) => minor / 100.0;
}
