using Tandem.Features.Handoffs;
using Tandem.Api;

namespace Tandem.Features.Agreement;

/// <summary>Checks a definition before it is stored; every problem is reported with the path of the field at fault.</summary>
public static class DefinitionValidation
{
    private static readonly Dictionary<string, FieldKind[]> Ops = new(StringComparer.Ordinal)
    {
        ["in"] = [FieldKind.Text, FieldKind.Number], ["notIn"] = [FieldKind.Text, FieldKind.Number], ["contains"] = [FieldKind.Text],
        ["gte"] = [FieldKind.Number], ["lte"] = [FieldKind.Number], ["exists"] = [FieldKind.Text, FieldKind.Number],
        ["missing"] = [FieldKind.Text, FieldKind.Number], ["isTrue"] = [FieldKind.Flag], ["isFalse"] = [FieldKind.Flag],
    };

    public const int MaxPoints = 1000, MaxThreshold = 10_000;

    public static Errors Validate(DefinitionContent? d, string prefix = "content")
    {
        var e = new Errors();
        if (d is null) return e.Add(prefix, "The definition content is required.");
        if (d.Fit is null) e.Add($"{prefix}.fit", "'fit' is required.");
        else Fit(e, d.Fit, $"{prefix}.fit");
        if (d.Engagement is null) e.Add($"{prefix}.engagement", "'engagement' is required.");
        else Engagement(e, d.Engagement, $"{prefix}.engagement");
        if (d.Qualify is null) e.Add($"{prefix}.qualify", "'qualify' is required.");
        else
        {
            if (d.Qualify.Threshold is < 1 or > MaxThreshold)
                e.Add($"{prefix}.qualify.threshold", $"The engagement threshold must be between 1 and {MaxThreshold:N0}; it is {d.Qualify.Threshold}.");
            if (d.Qualify.FastTrack is null) e.Add($"{prefix}.qualify.fastTrack", "'fastTrack' is required (an empty list for none).");
        }
        if (d.Exclusions is null) e.Add($"{prefix}.exclusions", "'exclusions' is required.");
        else if (d.Exclusions.CompetitorDomains is null) e.Add($"{prefix}.exclusions.competitorDomains", "'competitorDomains' is required (an empty list for none).");
        else
            for (var i = 0; i < d.Exclusions.CompetitorDomains.Length; i++)
                if (d.Exclusions.CompetitorDomains[i] is not { Length: > 2 } dom || !dom.Contains('.') || dom.Contains('@'))
                    e.Add($"{prefix}.exclusions.competitorDomains[{i}]", $"'{d.Exclusions.CompetitorDomains[i]}' is not a domain such as rival.com.");
        if (d.Sla is { } sla) Sla(e, sla, $"{prefix}.sla");
        return e;
    }

    private static void Fit(Errors e, FitSection fit, string at)
    {
        if (fit.Rules is null) e.Add($"{at}.rules", "'rules' is required (an empty list for none).");
        else
            for (var i = 0; i < fit.Rules.Length; i++)
            {
                var r = fit.Rules[i];
                var p = $"{at}.rules[{i}]";
                if (r is null) { e.Add(p, "A rule cannot be null."); continue; }
                var kind = r.Field is null ? null : FitFields.KindOf(r.Field);
                if (kind is null)
                {
                    e.Add($"{p}.field", $"Unknown field '{r.Field}'. Known fields: {string.Join(", ", FitFields.Names)}, person.prop.NAME, account.prop.NAME.");
                    continue;
                }
                if (r.Op is null || !Ops.TryGetValue(r.Op, out var kinds)) e.Add($"{p}.op", $"Unknown operator '{r.Op}'. Use one of: {string.Join(", ", Ops.Keys)}.");
                else if (!kinds.Contains(kind.Value)) e.Add($"{p}.op", $"'{r.Op}' does not apply to {r.Field}, a {kind.Value.ToString().ToLowerInvariant()} field.");
                else if (r.Op is "in" or "notIn" or "contains" && (r.Values is not { Length: > 0 } || r.Values.Any(string.IsNullOrWhiteSpace)))
                    e.Add($"{p}.values", $"'{r.Op}' needs a non-empty list of values.");
                else if (r.Op is "gte" or "lte" && (r.Number is null || !double.IsFinite(r.Number.Value)))
                    e.Add($"{p}.number", $"'{r.Op}' needs a number.");
                if (Math.Abs(r.Points) > MaxPoints) e.Add($"{p}.points", $"Points must be between -{MaxPoints} and {MaxPoints}; they are {r.Points}.");
            }
        Bands(e, fit.Bands, $"{at}.bands");
    }

    /// <summary>Four bands, one per grade, that do not overlap, leave no gap and rank A highest.</summary>
    private static void Bands(Errors e, GradeBand[]? bands, string at)
    {
        if (bands is null || bands.Length != 4 || bands.Any(b => b is null) || bands.Select(b => b.Grade).Distinct().Count() != 4)
        {
            e.Add(at, "Give exactly one band for each grade A, B, C and D.");
            return;
        }
        var ordered = bands.OrderBy(b => b.Grade).ToArray();
        for (var i = 0; i < 4; i++)
        {
            var b = ordered[i];
            var p = $"{at}[{Array.IndexOf(bands, b)}]";
            if (b.Min is { } lo && b.Max is { } hi && lo > hi) e.Add(p, $"Band {b.Grade} has min {lo} above max {hi}.");
            if (i == 0 && b.Max is not null) e.Add($"{p}.max", "Band A is the top band: leave its max empty.");
            if (i == 3 && b.Min is not null) e.Add($"{p}.min", "Band D is the bottom band: leave its min empty.");
            if (i == 3) break;
            var below = ordered[i + 1];
            if (b.Min is null) { e.Add($"{p}.min", $"Band {b.Grade} needs a min."); continue; }
            if (below.Max is null) { e.Add($"{at}[{Array.IndexOf(bands, below)}].max", $"Band {below.Grade} needs a max."); continue; }
            if (below.Max >= b.Min)
                e.Add(p, $"Bands {b.Grade} ({b.Min}…) and {below.Grade} (…{below.Max}) overlap: {b.Grade}'s min must be above {below.Grade}'s max.");
            else if (below.Max + 1 != b.Min)
                e.Add(p, $"Bands {b.Grade} and {below.Grade} leave a gap: points {below.Max + 1} to {b.Min - 1} have no grade.");
        }
    }

    private static void Sla(Errors e, SlaSection s, string at)
    {
        if (!double.IsFinite(s.FirstTouchHours) || s.FirstTouchHours <= 0 || s.FirstTouchHours > 200)
            e.Add($"{at}.firstTouchHours", $"First touch must be due within more than 0 and at most 200 business hours; it is {s.FirstTouchHours}.");
        if (s.MinAttempts is < 1 or > 20) e.Add($"{at}.minAttempts", $"The minimum number of attempts must be 1 to 20; it is {s.MinAttempts}.");
        if (s.AttemptDays is < 1 or > 30) e.Add($"{at}.attemptDays", $"Attempts must be due within 1 to 30 business days; it is {s.AttemptDays}.");
        if (s.DecideDays is < 1 or > 30) e.Add($"{at}.decideDays", $"Accept or reject must be due within 1 to 30 business days; it is {s.DecideDays}.");
        else if (s.FirstTouchHours > s.DecideDays * 24.0)
            e.Add($"{at}.firstTouchHours", $"First touch ({s.FirstTouchHours} business hours) cannot be due after the decision ({s.DecideDays} business days).");
    }

    private static void Engagement(Errors e, EngagementSection s, string at)
    {
        if (s.HalfLifeDays is { } h && (!double.IsFinite(h) || h <= 0 || h > 3650))
            e.Add($"{at}.halfLifeDays", $"The half-life must be more than 0 and at most 3,650 days, or empty for no decay; it is {h}.");
        if (s.Rules is null) { e.Add($"{at}.rules", "'rules' is required (an empty list for none)."); return; }
        for (var i = 0; i < s.Rules.Length; i++)
        {
            var r = s.Rules[i];
            var p = $"{at}.rules[{i}]";
            if (r is null) { e.Add(p, "A rule cannot be null."); continue; }
            if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > 100) e.Add($"{p}.name", "A rule needs a name of 1 to 100 characters.");
            if (r.Points == 0 || Math.Abs(r.Points) > MaxPoints) e.Add($"{p}.points", $"Points must be non-zero and between -{MaxPoints} and {MaxPoints}; they are {r.Points}.");
            if (r.Cap is { } c)
            {
                if (c.Points < 1 || c.Points > MaxThreshold) e.Add($"{p}.cap.points", $"A cap must be between 1 and {MaxThreshold:N0} points; it is {c.Points}.");
                if (c.PeriodDays is < 1 or > 366) e.Add($"{p}.cap.periodDays", $"A cap period must be 1 to 366 days; it is {c.PeriodDays}.");
            }
        }
    }
}
