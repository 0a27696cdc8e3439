using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Learning;

/// <summary>What a version of the definition would have done with the test cohort: how many it qualifies and how many were right.</summary>
public sealed record VersionForecast(string Version, int Qualified, double PerWeek, double Precision);

/// <summary>A proposed lead definition, with its forecast beside the active version's on the same people.</summary>
public sealed record Suggestion(DefinitionContent Content, VersionForecast Draft, VersionForecast? Active, string Note);

/// <summary>
/// Proposes a lead definition from the outcomes (decision 0069): a scorecard. Each touch type and each common value of a fit
/// field earns points from its log odds ratio (10 points per unit: a touch type seen twice as often among converters earns
/// about 7); the grade bands split the fit points into quarters; the threshold makes the weekly MQL volume match sales
/// capacity, or, without seats, gives the best F1. Everything else (exclusions, SLA, fast track) is kept from the basis.
/// Pure: the numbers come from <see cref="Examples"/> and the facts.
/// </summary>
public static class DefinitionSuggester
{
    public const int MinRows = 30, MaxFitRules = 10, PointsPerLogOdds = 10, MaxPoints = 50;
    private static readonly Dictionary<string, string> FitFieldOf = new() { ["title"] = "person.title", ["industry"] = "account.industry", ["region"] = "account.region" };

    public static Suggestion Suggest(InsightFacts f, Examples ex, TimeSplit split, DefinitionContent basis, DefinitionContent? active, int? capacityPerWeek, int modelNumber)
    {
        int[] learn = [.. split.Train, .. split.Validation];
        var engagement = new EngagementSection(basis.Engagement.HalfLifeDays, [.. EngagementRules(ex, learn)]);
        var fitRules = FitRules(ex, learn);
        var subjects = Timeline.Of(f).Subjects;
        var fitPoints = learn.Select(r => fitRules.Where(rule => FitGrade.Matches(rule, FitFields.Read(subjects[ex.Person[r]], rule.Field))).Sum(rule => rule.Points)).ToArray();
        var fit = new FitSection([.. fitRules], Bands(fitPoints) ?? basis.Fit.Bands);
        var draft = basis with { Fit = fit, Engagement = engagement };
        var (minFit, threshold) = Qualify(f, ex, learn, draft, capacityPerWeek);
        draft = draft with { Qualify = draft.Qualify with { MinFit = minFit, Threshold = threshold } };

        var forecast = Forecast(f, ex, split.Test, draft, "suggested draft");
        var current = active is null ? null : Forecast(f, ex, split.Test, active, "active version");
        var note = $"Suggested by model #{modelNumber} from {learn.Length:N0} people. On the latest matured cohort ({split.Test.Length:N0} people) it would " +
                   $"qualify {forecast.PerWeek:0.#} a week at {forecast.Precision:P0} precision" +
                   (current is null ? "." : $"; the active version: {current.PerWeek:0.#} a week at {current.Precision:P0}.") +
                   (capacityPerWeek is { } c ? $" Threshold set for sales capacity ({c} a week)." : " Threshold set for the best F1 (no routing seat has a capacity).");
        return new Suggestion(draft, forecast, current, note);
    }

    private static double LogOdds(int withPos, int with, int withoutPos, int without) =>
        Math.Log((withPos + 0.5) / (with - withPos + 0.5)) - Math.Log((withoutPos + 0.5) / (without - withoutPos + 0.5));

    private static int Points(double logOdds) => (int)Math.Clamp(Math.Round(logOdds * PointsPerLogOdds), -MaxPoints, MaxPoints);

    /// <summary>One rule per touch type seen before the decision by enough people: its points once per 30 days.</summary>
    private static IEnumerable<ScoreRule> EngagementRules(Examples ex, int[] learn)
    {
        foreach (var type in Enum.GetValues<TouchType>())
        {
            var col = ex.Features.FirstOrDefault(x => x.Name == Words.Type(type))?.Numbers;
            if (col is null) continue;
            int with = 0, withPos = 0, allPos = 0;
            foreach (var r in learn)
            {
                if (ex.Label[r]) allPos++;
                if (col[r] > 0) { with++; if (ex.Label[r]) withPos++; }
            }
            if (with < MinRows || learn.Length - with < MinRows) continue;
            var points = Points(LogOdds(withPos, with, allPos - withPos, learn.Length - with));
            if (Math.Abs(points) < 2) continue;
            yield return new ScoreRule($"{type} (learned)", points, type, Cap: new ScoreCap(Math.Abs(points), 30));
        }
    }

    /// <summary>The fit values whose conversion differs most from the rest, as "in" rules, strongest first.</summary>
    private static List<FitRule> FitRules(Examples ex, int[] learn)
    {
        var candidates = new List<(FitRule Rule, double Strength)>();
        foreach (var col in ex.Features.Where(x => !x.IsNumeric))
        {
            var field = FitFieldOf.GetValueOrDefault(col.Name) ?? (col.Group == "property" ? FitFields.PersonProp + col.Name : null);
            if (field is null) continue;
            var counts = new Dictionary<string, (int N, int Pos)>(StringComparer.OrdinalIgnoreCase);
            var allPos = 0;
            foreach (var r in learn)
            {
                if (ex.Label[r]) allPos++;
                if (col.Categories![r] is not { } v) continue;
                var (n, p) = counts.GetValueOrDefault(v);
                counts[v] = (n + 1, p + (ex.Label[r] ? 1 : 0));
            }
            foreach (var (value, (n, pos)) in counts)
            {
                if (n < MinRows || learn.Length - n < MinRows) continue;
                var lo = LogOdds(pos, n, allPos - pos, learn.Length - n);
                var points = Points(lo);
                if (Math.Abs(points) < 3) continue;
                candidates.Add((new FitRule(field, "in", points, [value], Label: $"{col.Name}: {value} ({pos / (double)n:P0} converted, n={n:N0})"), Math.Abs(lo)));
            }
        }
        return [.. candidates.OrderByDescending(c => c.Strength).Take(MaxFitRules).Select(c => c.Rule)];
    }

    /// <summary>Quarters of the fit points: the top quarter A, then B, C, D (pushed apart by a point where they coincide).</summary>
    private static GradeBand[]? Bands(int[] points)
    {
        if (points.Length == 0) return null;
        var sorted = points.Order().ToArray();
        int q(double share) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * share))];
        var c = q(0.25);
        var b = Math.Max(q(0.5), c + 1);
        var a = Math.Max(q(0.75), b + 1);
        return [new GradeBand(Grade.A, a, null), new GradeBand(Grade.B, b, a - 1), new GradeBand(Grade.C, c, b - 1), new GradeBand(Grade.D, null, c - 1)];
    }

    /// <summary>Each row's fit grade and engagement score at its decision time under <paramref name="d"/>, and whether a fast-track touch came.</summary>
    private static (Grade Grade, double Score, bool FastTrack)[] Judge(InsightFacts f, Examples ex, int[] rows, DefinitionContent d)
    {
        var timeline = Timeline.Of(f);
        var scoring = new Scoring(d.Engagement);
        var result = new (Grade, double, bool)[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var decision = Clock.ToDate(ex.Decision[r]);
            var grade = FitGrade.PointsGrade(d.Fit, timeline.Subjects[ex.Person[r]]);
            var state = scoring.NewState();
            var fast = false;
            foreach (ref readonly var t in timeline.TouchesOf(ex.Person[r]))
            {
                if (t.At > decision) break;
                scoring.Apply(state, t);
                foreach (var ft in d.Qualify.FastTrack) fast |= ft.Type == t.Type && grade <= ft.MinFit;
            }
            result[i] = (grade, scoring.ScoreAt(state, decision), fast);
        }
        return result;
    }

    private static bool Qualifies((Grade Grade, double Score, bool FastTrack) j, QualifySection q, double threshold) =>
        j.FastTrack || j.Grade <= q.MinFit && j.Score >= threshold;

    private static double Weeks(Examples ex, int[] rows) => Math.Max(1, Clock.Days(ex.Decision[rows[0]], ex.Decision[rows[^1]]) / 7);

    /// <summary>
    /// The minimum fit and score threshold: with a capacity, the most MQLs a week that sales can absorb (the best precision among
    /// equals); without, the best F1 on the learning rows.
    /// </summary>
    private static (Grade MinFit, int Threshold) Qualify(InsightFacts f, Examples ex, int[] learn, DefinitionContent d, int? capacityPerWeek)
    {
        var judged = Judge(f, ex, learn, d);
        var weeks = Weeks(ex, learn);
        var thresholds = judged.Select(j => (int)Math.Ceiling(j.Score)).Append(1).Where(t => t >= 1).Distinct().Order().ToArray();
        var positives = learn.Count(r => ex.Label[r]);
        var best = (Grade: d.Qualify.MinFit, Threshold: thresholds[^1]);
        (double Volume, double Quality) bestScore = (-1, -1);
        foreach (var grade in Enum.GetValues<Grade>())
            foreach (var t in thresholds)
            {
                var q = d.Qualify with { MinFit = grade };
                int qualified = 0, right = 0;
                for (var i = 0; i < learn.Length; i++)
                    if (Qualifies(judged[i], q, t)) { qualified++; if (ex.Label[learn[i]]) right++; }
                if (qualified == 0) continue;
                var precision = right / (double)qualified;
                (double, double) score = capacityPerWeek is { } cap
                    ? (qualified / weeks <= cap ? qualified : -1, precision)
                    : (2.0 * right / (qualified + positives), precision);
                if (score.CompareTo(bestScore) > 0) (bestScore, best) = (score, (grade, t));
            }
        return best;
    }

    internal static VersionForecast Forecast(InsightFacts f, Examples ex, int[] rows, DefinitionContent d, string name)
    {
        var judged = Judge(f, ex, rows, d);
        int qualified = 0, right = 0;
        for (var i = 0; i < rows.Length; i++)
            if (Qualifies(judged[i], d.Qualify, d.Qualify.Threshold)) { qualified++; if (ex.Label[rows[i]]) right++; }
        return new VersionForecast(name, qualified, qualified / Weeks(ex, rows), qualified == 0 ? 0 : right / (double)qualified);
    }
}
