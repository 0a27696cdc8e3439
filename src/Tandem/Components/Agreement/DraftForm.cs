using System.Globalization;
using Tandem.Api;
using Tandem.Features.Agreement;

namespace Tandem.Components.Agreement;

/// <summary>
/// The draft editor's simple fields, pure. Each input is named by its path in the definition ("qualify.threshold",
/// "engagement.rules[2].points"), the same path <see cref="DefinitionValidation"/> reports after "content.", so every
/// error lands beside the field that caused it. Fields not posted keep the draft's value.
/// </summary>
public static class DraftForm
{
    public const string Threshold = "qualify.threshold", MinFit = "qualify.minFit", HalfLife = "engagement.halfLifeDays";

    public static string EngagementPoints(int i) => $"engagement.rules[{i}].points";
    public static string FitPoints(int i) => $"fit.rules[{i}].points";
    public static string BandMin(int i) => $"fit.bands[{i}].min";
    public static string BandMax(int i) => $"fit.bands[{i}].max";

    /// <summary>The path an error names, as the field name on the form ("content.qualify.threshold" → "qualify.threshold").</summary>
    public static string FieldOf(string errorPath) => errorPath.StartsWith("content.", StringComparison.Ordinal) ? errorPath["content.".Length..] : errorPath;

    /// <summary>The draft with the posted simple fields applied; words that are not numbers come back as errors, by path.</summary>
    public static (DefinitionContent Content, Errors Errors) Apply(DefinitionContent d, IReadOnlyDictionary<string, string?> form)
    {
        var e = new Errors();
        var threshold = Int(form, Threshold, d.Qualify.Threshold, e, optional: false)!.Value;
        var minFit = d.Qualify.MinFit;
        if (form.TryGetValue(MinFit, out var g) && !string.IsNullOrWhiteSpace(g))
        {
            if (Enum.TryParse<Grade>(g.Trim(), ignoreCase: true, out var grade) && Enum.IsDefined(grade)) minFit = grade;
            else e.Add("content." + MinFit, $"'{g}' is not a grade: use A, B, C or D.");
        }
        var halfLife = d.Engagement.HalfLifeDays;
        if (form.TryGetValue(HalfLife, out var h))
        {
            if (string.IsNullOrWhiteSpace(h)) halfLife = null;
            else if (double.TryParse(h.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var days)) halfLife = days;
            else e.Add("content." + HalfLife, $"'{h}' is not a number of days; leave it empty for points that never fade.");
        }
        var engagement = d.Engagement.Rules.Select((r, i) => r with { Points = Int(form, EngagementPoints(i), r.Points, e, optional: false)!.Value }).ToArray();
        var fit = d.Fit.Rules.Select((r, i) => r with { Points = Int(form, FitPoints(i), r.Points, e, optional: false)!.Value }).ToArray();
        var bands = d.Fit.Bands.Select((b, i) => b with { Min = Int(form, BandMin(i), b.Min, e, optional: true), Max = Int(form, BandMax(i), b.Max, e, optional: true) })
            .ToArray();
        var content = d with
        {
            Fit = d.Fit with { Rules = fit, Bands = bands },
            Engagement = d.Engagement with { HalfLifeDays = halfLife, Rules = engagement },
            Qualify = d.Qualify with { Threshold = threshold, MinFit = minFit },
        };
        return (content, e);
    }

    /// <summary>A whole number from the form, or the draft's value when absent. Empty means "none" where that is allowed (band ends).</summary>
    private static int? Int(IReadOnlyDictionary<string, string?> form, string field, int? current, Errors e, bool optional)
    {
        if (!form.TryGetValue(field, out var raw)) return current;
        if (string.IsNullOrWhiteSpace(raw))
        {
            if (optional) return null;
            e.Add("content." + field, "A number is required.");
            return current;
        }
        if (int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        e.Add("content." + field, $"'{raw}' is not a whole number.");
        return current;
    }
}
