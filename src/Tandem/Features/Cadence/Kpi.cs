using System.Text.Json.Serialization;

namespace Tandem.Features.Cadence;

[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiOwner { Marketing, Sales, Shared }
[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiKind { Managed, Monitored }
[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiTiming { Leading, Lagging }

/// <summary>
/// One KPI of the shared scorecard (docs/guide/cadence.md). Without <see cref="Report"/>, <see cref="Metric"/> names a figure
/// of <see cref="KpiMetrics"/> and <see cref="Filter"/> narrows it (a channel for the count metrics). With it, the KPI is a
/// column of any Insight report run over each week with <see cref="Filters"/> and <see cref="Options"/> (decision 0094,
/// <see cref="KpiReports"/>). The target is <see cref="Target"/> or, when <see cref="TargetFromPlan"/>, the approved plan's
/// figure for the same stage and week.
/// </summary>
/// <param name="GreenAt">Attainment (value ÷ target, or target ÷ value when lower is better) at or above which the KPI is green.</param>
/// <param name="AmberAt">Attainment at or above which it is amber; below, red.</param>
/// <param name="Report">An Insight report's name ("deals", "funnel", "channels"…); then <see cref="Metric"/> is one of its columns.</param>
/// <param name="Filters">The report's filters, "field:value" as Insight takes them ("channel:Email").</param>
/// <param name="Options">The report's other parameters by their query names (stage, within, basis, model, halfLife, window, days).</param>
/// <param name="Row">The row's keys when the report answers several (["All", "EUR"]); by default the first row, in the company
/// currency when the report splits by currency.</param>
/// <param name="LowerIsBetter">For a report column; by default costs and day counts are better lower, everything else higher.</param>
public sealed record KpiDefinition(string Key, string Name, string Metric, KpiOwner Owner, KpiKind Kind, KpiTiming Timing,
    double? Target = null, bool TargetFromPlan = false, double GreenAt = 1.0, double AmberAt = 0.9, string? Filter = null,
    string? Report = null, string[]? Filters = null, Dictionary<string, string>? Options = null, string[]? Row = null, bool? LowerIsBetter = null);

[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiStatus { Green, Amber, Red, NoTarget, NoData, Broken }

/// <summary>The grading rules, pure.</summary>
public static class KpiGrade
{
    /// <summary>Green, amber or red for <paramref name="value"/> against <paramref name="target"/>; never NaN: a missing value is
    /// NoData, a missing or zero target NoTarget.</summary>
    public static KpiStatus Of(KpiDefinition k, double? value, double? target, bool higherIsBetter)
    {
        if (value is not { } v || double.IsNaN(v)) return KpiStatus.NoData;
        if (target is not { } t || t <= 0 || double.IsNaN(t)) return KpiStatus.NoTarget;
        var attainment = higherIsBetter ? v / t : v <= 0 ? double.PositiveInfinity : t / v;
        return attainment >= k.GreenAt ? KpiStatus.Green : attainment >= k.AmberAt ? KpiStatus.Amber : KpiStatus.Red;
    }

    /// <summary>What is wrong with a definition, field by field (empty when it can be used).</summary>
    public static IEnumerable<(string Field, string Message)> Problems(KpiDefinition k)
    {
        if (string.IsNullOrWhiteSpace(k.Key) || k.Key.Length > 40 || !k.Key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            yield return ("key", "A KPI key is 1–40 letters, digits or dashes, such as \"mqls\".");
        if (string.IsNullOrWhiteSpace(k.Name) || k.Name.Length > 100) yield return ("name", "A KPI needs a name of at most 100 characters.");
        if (k.Report is not null)
            foreach (var p in KpiReports.Problems(k)) yield return p;
        else
        {
            if (!KpiMetrics.Exists(k.Metric)) yield return ("metric", $"Unknown metric \"{k.Metric}\". Known: {string.Join(", ", KpiMetrics.Names)}.");
            if (k.TargetFromPlan && !KpiMetrics.HasPlanTarget(k.Metric))
                yield return ("targetFromPlan", $"The plan has no target for \"{k.Metric}\"; give a fixed target instead.");
            if (k.Filters is { Length: > 0 } || k.Options is { Count: > 0 } || k.Row is { Length: > 0 })
                yield return ("report", "Filters, options and a row belong to a KPI that names an Insight report; name one in \"report\".");
        }
        if (k.Target is < 0 or double.NaN) yield return ("target", "A target is a number of zero or more.");
        if (k.AmberAt < 0 || k.GreenAt < k.AmberAt) yield return ("amberAt", "The amber threshold must be between 0 and the green threshold.");
    }
}
