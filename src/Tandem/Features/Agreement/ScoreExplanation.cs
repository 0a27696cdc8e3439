using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>One rule's part in one touch's points.</summary>
public sealed record ScoreLine(string Rule, int Points, int Counted);

/// <summary>One touch and what it is worth now: the points counted (after caps), the decay since and the value left.</summary>
public sealed record ScoredTouch(long TouchId, DateTime At, TouchType Type, Channel Channel, int? CampaignId, IReadOnlyList<ScoreLine> Rules,
    int Counted, double Decay, double Now);

/// <summary>A rule's total over all the person's touches.</summary>
public sealed record ScoreRuleTotal(string Rule, int Touches, int Counted, double Now);

/// <summary>A person's grade and score under one version, rule by rule, as of <see cref="At"/>.</summary>
public sealed record PersonScoreDto(int PersonId, int Definition, DateTime At, Grade Grade, int FitPoints, IReadOnlyList<FitLine> Fit,
    double Score, double? HalfLifeDays, IReadOnlyList<ScoreRuleTotal> Rules, IReadOnlyList<ScoredTouch> Touches, string? Excluded,
    Grade MinFit, int Threshold, bool MeetsDefinition, string Summary);

/// <summary>Explains a score by recomputing it from the touches with the same fold the live score uses.</summary>
public static class ScoreExplanation
{
    public static async Task<PersonScoreDto?> ForPersonAsync(TandemDb db, int personId, LeadDefinition def, CancellationToken ct)
    {
        var content = def.Parsed();
        var subjects = await FitLoader.LoadAsync(db, content, [personId], ct);
        if (!subjects.TryGetValue(personId, out var subject)) return null;
        var touches = await db.Touches.AsNoTracking().Where(t => t.PersonId == personId).OrderBy(t => t.OccurredAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.OccurredAt, t.Type, t.Channel, t.CampaignId }).ToListAsync(ct);
        var now = db.UtcNow;
        var scoring = new Scoring(content.Engagement);
        var state = scoring.NewState();
        var lines = new List<(int Rule, int Raw, int Counted)>();
        var scored = new List<ScoredTouch>();
        foreach (var t in touches.Where(t => t.OccurredAt <= now))
        {
            lines.Clear();
            scoring.Apply(state, new TouchFact(t.OccurredAt, t.Type, t.Channel, t.CampaignId), lines);
            if (lines.Count == 0) continue;
            var counted = lines.Sum(l => l.Counted);
            var decay = scoring.Decay(now.Ticks - t.OccurredAt.Ticks);
            scored.Add(new ScoredTouch(t.Id, t.OccurredAt, t.Type, t.Channel, t.CampaignId,
                [.. lines.Select(l => new ScoreLine(content.Engagement.Rules[l.Rule].Name, l.Raw, l.Counted))], counted, decay, counted * decay));
        }
        var rules = scored.SelectMany(s => s.Rules.Select(r => (r.Rule, r.Counted, Now: r.Counted * s.Decay)))
            .GroupBy(x => x.Rule).Select(g => new ScoreRuleTotal(g.Key, g.Count(), g.Sum(x => x.Counted), g.Sum(x => x.Now)))
            .OrderByDescending(r => r.Now).ToList();
        var fit = FitGrade.Evaluate(content.Fit, subject);
        var score = scoring.ScoreAt(state, now);
        var excluded = Qualification.Exclusion(content.Exclusions, subject);
        var meets = Qualification.Decide(content.Qualify, fit.Grade, score, null, excluded) == Verdict.Score;
        var summary = excluded is not null ? $"Excluded: {excluded}."
            : $"Fit {fit.Grade} ({fit.Points} points), score {score:0.#}: {(meets ? "meets" : "does not meet")} v{def.Number} (fit {PlainLanguage.Better(content.Qualify.MinFit)} and score {content.Qualify.Threshold}).";
        return new PersonScoreDto(personId, def.Number, now, fit.Grade, fit.Points, fit.Lines, score, content.Engagement.HalfLifeDays, rules,
            [.. scored.AsEnumerable().Reverse()], excluded, content.Qualify.MinFit, content.Qualify.Threshold, meets, summary);
    }
}
