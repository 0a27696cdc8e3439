using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Why a person did or did not qualify at one evaluation.</summary>
public enum Verdict { No, Score, FastTrack, Excluded }

/// <summary>The lead definition's decision, pure. Exclusions win over everything; then score with fit, then fast-track.</summary>
public static class Qualification
{
    /// <summary>A person may become an MQL only from Inquiry, or from Nurture once its re-engage date has passed.
    /// The same rule is used live and in replays.</summary>
    public static bool Eligible(LifecycleStage stage, DateTime? reengageAt, DateTime at) =>
        stage == LifecycleStage.Inquiry || (stage == LifecycleStage.Nurture && (reengageAt is null || reengageAt <= at));

    /// <param name="touch">The touch that triggered this evaluation; null when fit changed.</param>
    public static Verdict Decide(QualifySection q, Grade fit, double score, TouchType? touch, string? exclusion)
    {
        if (exclusion is not null) return Verdict.Excluded;
        if (fit <= q.MinFit && score >= q.Threshold) return Verdict.Score;
        foreach (var f in q.FastTrack)
            if (touch == f.Type && fit <= f.MinFit) return Verdict.FastTrack;
        return Verdict.No;
    }

    /// <summary>False when no score and no touch could ever qualify this person: excluded, or a fit below both the
    /// minimum and every fast track. Replays skip such people without changing any result.</summary>
    public static bool CanQualify(QualifySection q, Grade fit, string? exclusion) =>
        exclusion is null && (fit <= q.MinFit || q.FastTrack.Any(f => fit <= f.MinFit));

    /// <summary>The exclusion that applies, in words, or null.</summary>
    public static string? Exclusion(ExclusionSection x, FitSubject s)
    {
        var domain = s.EmailDomain;
        if (x.CompetitorDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase))) return "competitor";
        if (x.PersonalEmail && FitFields.PersonalDomains.Contains(domain)) return "personal email";
        if (x.Students && TitleHas(s.Title, FitFields.StudentWords)) return "student";
        if (x.JobSeekers && TitleHas(s.Title, FitFields.JobSeekerWords)) return "job seeker";
        if (x.DisqualifiedAccounts && s.AccountStatus is "Disqualified") return "disqualified account";
        return null;
    }

    private static bool TitleHas(string? title, string[] words) =>
        title is not null && words.Any(w => title.Contains(w, StringComparison.OrdinalIgnoreCase));
}
