using System.Globalization;

namespace Tandem.Features.Agreement;

/// <summary>The definition in words both teams can sign: "Fit B or better, and score 60 or more; or a demo request from
/// fit C or better; never students, competitors or personal email."</summary>
public static class PlainLanguage
{
    public static string Summary(DefinitionContent d)
    {
        var q = d.Qualify;
        var parts = new List<string> { $"Fit {Better(q.MinFit)}, and score {q.Threshold} or more" };
        parts.AddRange(q.FastTrack.Select(f => $"or {Article(Words(f.Type.ToString()))} from fit {Better(f.MinFit)}"));
        var never = Never(d.Exclusions);
        return string.Join("; ", parts) + (never.Count > 0 ? "; never " + List(never) : "") + ".";
    }

    /// <summary>"Sales makes the first touch within 4 business hours, at least 3 attempts within 5 business days, and accepts or
    /// rejects within 3 business days." Says when the terms are the defaults because the version sets none.</summary>
    public static string Sla(DefinitionContent d)
    {
        var s = d.SlaTerms();
        var hours = s.FirstTouchHours.ToString("0.##", CultureInfo.InvariantCulture);
        return $"Sales makes the first touch within {hours} business hour{(s.FirstTouchHours == 1 ? "" : "s")}, at least {s.MinAttempts} attempt{(s.MinAttempts == 1 ? "" : "s")} "
            + $"within {Days(s.AttemptDays)}, and accepts or rejects within {Days(s.DecideDays)}"
            + (d.Sla is null ? " (the default terms: this version sets none)." : ".");
    }

    private static string Days(int n) => n == 1 ? "1 business day" : $"{n} business days";

    public static List<string> Never(ExclusionSection x)
    {
        var never = new List<string>();
        if (x.Students) never.Add("students");
        if (x.JobSeekers) never.Add("job seekers");
        if (x.CompetitorDomains.Length > 0) never.Add("competitors");
        if (x.PersonalEmail) never.Add("personal email");
        if (x.DisqualifiedAccounts) never.Add("disqualified accounts");
        return never;
    }

    public static string Better(Grade g) => g == Grade.A ? "A" : $"{g} or better";

    public static string Describe(FitRule r)
    {
        if (r.Label is { Length: > 0 } label) return label;
        var field = r.Field;
        var values = string.Join(", ", r.Values ?? []);
        var number = r.Number?.ToString("#,0.##", CultureInfo.InvariantCulture);
        var test = r.Op switch
        {
            "in" => $"is {values}",
            "notIn" => $"is not {values}",
            "contains" => $"contains {values}",
            "gte" => $"is at least {number}",
            "lte" => $"is at most {number}",
            "exists" => "is known",
            "missing" => "is unknown",
            "isTrue" => "is true",
            "isFalse" => "is false",
            _ => r.Op,
        };
        return $"{field} {test}";
    }

    public static string Describe(ScoreRule r)
    {
        var what = string.Join(" ", new[] { r.Type is { } t ? Words(t.ToString()) : "any touch", r.Channel is { } c ? $"via {c}" : null,
            r.CampaignId is { } k ? $"in campaign {k}" : null }.Where(x => x is not null));
        var cap = r.Cap is { } cp ? $", at most {cp.Points} per {(cp.PeriodDays == 1 ? "day" : cp.PeriodDays == 7 ? "week" : $"{cp.PeriodDays} days")}" : "";
        return $"{r.Name}: {what} {(r.Points >= 0 ? "+" : "")}{r.Points}{cap}";
    }

    /// <summary>"DemoRequest" → "demo request".</summary>
    public static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Article(string noun) => ("aeiou".Contains(noun[0]) ? "an " : "a ") + noun;

    private static string List(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];
}
