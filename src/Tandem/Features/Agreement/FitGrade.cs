using System.Globalization;

namespace Tandem.Features.Agreement;

/// <summary>One fit rule's part in a grade.</summary>
public sealed record FitLine(string Rule, bool Matched, int Points);

public sealed record FitResult(Grade Grade, int Points, IReadOnlyList<FitLine> Lines);

/// <summary>Fit: each matching rule adds its points; the bands turn the total into a grade. Pure.</summary>
public static class FitGrade
{
    public static FitResult Evaluate(FitSection fit, FitSubject s)
    {
        var lines = new List<FitLine>(fit.Rules.Length);
        var total = 0;
        foreach (var r in fit.Rules)
        {
            var hit = Matches(r, FitFields.Read(s, r.Field));
            if (hit) total += r.Points;
            lines.Add(new FitLine(PlainLanguage.Describe(r), hit, hit ? r.Points : 0));
        }
        return new FitResult(GradeOf(fit.Bands, total), total, lines);
    }

    /// <summary>The grade alone, without the explanation lines: for replays over every person.</summary>
    public static Grade PointsGrade(FitSection fit, FitSubject s)
    {
        var total = 0;
        foreach (var r in fit.Rules)
            if (Matches(r, FitFields.Read(s, r.Field))) total += r.Points;
        return GradeOf(fit.Bands, total);
    }

    public static Grade GradeOf(GradeBand[] bands, int points)
    {
        foreach (var b in bands)
            if ((b.Min is null || points >= b.Min) && (b.Max is null || points <= b.Max)) return b.Grade;
        return Grade.D; // validation guarantees the bands cover every integer; this is only a safe floor
    }

    public static bool Matches(FitRule r, object? value)
    {
        switch (r.Op)
        {
            case "exists": return value is not null && (value is not string t || t.Length > 0);
            case "missing": return value is null || value is string { Length: 0 };
            case "isTrue": return value is true;
            case "isFalse": return value is false;
            case "gte": return AsNumber(value) is { } a && a >= r.Number;
            case "lte": return AsNumber(value) is { } b && b <= r.Number;
        }
        var text = value switch { null => null, string str => str, _ => Convert.ToString(value, CultureInfo.InvariantCulture) };
        if (text is null) return r.Op == "notIn";
        var values = r.Values ?? [];
        return r.Op switch
        {
            "in" => values.Any(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)),
            "notIn" => !values.Any(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)),
            "contains" => values.Any(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    private static double? AsNumber(object? v) => v switch
    {
        int i => i,
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
