using System.Globalization;
using Tandem.Features.Agreement;

namespace Tandem.Features.Plan;

/// <summary>What changes from one plan version to another, in sentences: inputs, each line's numbers, and the totals per stage.</summary>
public static class PlanDiff
{
    public static IReadOnlyList<DiffLine> Compare(PlanContent a, PlanContent b)
    {
        var result = new List<DiffLine>();
        void Changed(string section, string what, string from, string to)
        {
            if (from != to) result.Add(new DiffLine(section, "changed", $"{what}: {from} → {to}"));
        }
        Changed("inputs", "period", a.Inputs.Period, b.Inputs.Period);
        Changed("inputs", "currency", a.Inputs.Currency, b.Inputs.Currency);
        Changed("inputs", "target", Money(a.Inputs.TargetMinor), Money(b.Inputs.TargetMinor));
        Changed("inputs", "buffer", Pct(a.Inputs.Buffer), Pct(b.Inputs.Buffer));
        Changed("inputs", "split", a.Inputs.Split, b.Inputs.Split);
        Changed("inputs", "history window", $"{a.Inputs.WindowDays} days", $"{b.Inputs.WindowDays} days");
        Changed("inputs", "rates measured", a.RatesAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.RatesAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var lines = a.Lines.Select(l => l.Line).Union(b.Lines.Select(l => l.Line)).ToList();
        foreach (var name in lines)
        {
            var (x, y) = (a.Lines.FirstOrDefault(l => l.Line == name), b.Lines.FirstOrDefault(l => l.Line == name));
            if (x is null) { result.Add(new DiffLine(name, "added", $"{name} is planned ({Pct(y!.Share)} of the target).")); continue; }
            if (y is null) { result.Add(new DiffLine(name, "removed", $"{name} is no longer planned.")); continue; }
            Changed(name, "share of the target", Pct(x.Share), Pct(y.Share));
            Changed(name, "mean won amount", Money(x.MeanWon) + Why(x.MeanWonOverride), Money(y.MeanWon) + Why(y.MeanWonOverride));
            for (var k = 0; k < x.Rates.Length; k++)
                Changed(name, x.Rates[k].Transition, Pct(x.Rates[k].Value) + Why(x.Rates[k].OverrideReason), Pct(y.Rates[k].Value) + Why(y.Rates[k].OverrideReason));
            Changed(name, "cost per SQL", x.CostPerSql is { } c ? Money(c) : "unknown", y.CostPerSql is { } d ? Money(d) : "unknown");
        }
        for (var k = 0; k < PlanStages.Count; k++)
            Changed("totals", PlanStages.Labels[k], a.Total(k).ToString("N0", CultureInfo.InvariantCulture), b.Total(k).ToString("N0", CultureInfo.InvariantCulture));
        return result;
    }

    private static string Why(string? reason) => reason is null ? "" : $" (override: {reason})";
    private static string Money(double minor) => (minor / 100).ToString("N0", CultureInfo.InvariantCulture);
    private static string Pct(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
