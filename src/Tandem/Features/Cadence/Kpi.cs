using System.Text.Json.Serialization;

namespace Tandem.Features.Cadence;

[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiOwner { Marketing, Sales, Shared }
[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiKind { Managed, Monitored }
[JsonConverter(typeof(JsonStringEnumConverter))] public enum KpiTiming { Leading, Lagging }

/// <summary>
/// One KPI of the shared scorecard (docs/guide/cadence.md). <see cref="Metric"/> names a figure of
/// <see cref="KpiMetrics"/> and <see cref="Filter"/> narrows it (a channel for the count metrics). The target is
/// <see cref="Target"/> or, when <see cref="TargetFromPlan"/>, the approved plan's figure for the same stage and week.
/// </summary>
/// <param name="GreenAt">Attainment (value ÷ target, or target ÷ value when lower is better) at or above which the KPI is green.</param>
/// <param name="AmberAt">Attainment at or above which it is amber; below, red.</param>
public sealed record KpiDefinition(string Key, string Name, string Metric, KpiOwner Owner, KpiKind Kind, KpiTiming Timing,
    double? Target = null, bool TargetFromPlan = false, double GreenAt = 1.0, double AmberAt = 0.9, string? Filter = null);

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
        if (!KpiMetrics.Exists(k.Metric)) yield return ("metric", $"Unknown metric \"{k.Metric}\". Known: {string.Join(", ", KpiMetrics.Names)}.");
        if (k.TargetFromPlan && !KpiMetrics.HasPlanTarget(k.Metric))
            yield return ("targetFromPlan", $"The plan has no target for \"{k.Metric}\"; give a fixed target instead.");
        if (k.Target is < 0 or double.NaN) yield return ("target", "A target is a number of zero or more.");
        if (k.AmberAt < 0 || k.GreenAt < k.AmberAt) yield return ("amberAt", "The amber threshold must be between 0 and the green threshold.");
    }
}
