using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Agreement;

/// <summary>
/// Automatic MQL, live. After touches are stored, each person's score is brought up to date under the active version,
/// and each new touch is evaluated: an eligible person who qualifies moves to MQL with the version as the cause.
/// Nothing is ever demoted, and only new touches are evaluated, so a new version applies going forward only.
/// </summary>
public static class LeadEngine
{
    /// <summary>A touch just stored, as the engine reads it.</summary>
    public readonly record struct NewTouch(int PersonId, TouchFact Fact, string EventId);

    /// <summary>A person the definition qualifies: when (the qualifying touch, clamped to the stage's start and now) and why.</summary>
    public readonly record struct Mql(int PersonId, DateTime At, string Note);

    public static NewTouch Touch(int personId, DateTime occurredAt, TouchType type, Channel channel, int? campaignId, string eventId) =>
        new(personId, new TouchFact(Microseconds(occurredAt), type, channel, campaignId), eventId);

    /// <summary>Scores the stored touches (writing each person's score) and returns who qualifies. Lifecycle records and routes them.</summary>
    public static async Task<List<Mql>> AfterTouchesAsync(TandemDb db, ActiveDefinition def, IReadOnlyList<NewTouch> stored, CancellationToken ct)
    {
        if (stored.Count == 0) return [];
        var byPerson = stored.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.ToList());
        return await EvaluateAsync(db, def, byPerson, ct);
    }

    /// <summary>A person's or account's fields changed: re-grade, and return anyone whose grade moved and who now qualifies.</summary>
    public static async Task<List<Mql>> AfterFitChangeAsync(TandemDb db, ActiveDefinition def, IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0) return [];
        return await EvaluateAsync(db, def, personIds.ToDictionary(id => id, _ => new List<NewTouch>()), ct);
    }

    /// <summary>Recycled people whose re-engage date arrived: score now, and return anyone who meets the definition whatever their grade did.</summary>
    public static async Task<List<Mql>> ReevaluateAsync(TandemDb db, ActiveDefinition def, IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0) return [];
        return await EvaluateAsync(db, def, personIds.ToDictionary(id => id, _ => new List<NewTouch>()), ct, anyGrade: true);
    }

    private static async Task<List<Mql>> EvaluateAsync(TandemDb db, ActiveDefinition def, Dictionary<int, List<NewTouch>> byPerson, CancellationToken ct,
        bool anyGrade = false)
    {
        var ids = byPerson.Keys.ToList();
        var now = db.UtcNow;
        var people = await LeadInputs.LoadAsync(db, ids, ct);
        await LeadInputs.WithPropsAsync(db, def.Content, people, ct);

        var states = new Dictionary<int, ScoreState>(ids.Count);
        var rebuild = new List<int>();
        foreach (var (id, touches) in byPerson)
        {
            touches.Sort((a, b) => a.Fact.At.CompareTo(b.Fact.At));
            if (people.GetValueOrDefault(id)?.Score is { } row && row.DefinitionId == def.Row.Id && (touches.Count == 0 || touches[0].Fact.At >= row.ScoredAt))
                states[id] = Restore(def.Scoring, row);
            else rebuild.Add(id);
        }
        foreach (var (id, state) in await RebuildAsync(db, def.Scoring, rebuild, byPerson, ct)) states[id] = state;

        var mqls = new List<Mql>();
        var rows = new List<LeadScore>(ids.Count);
        foreach (var id in ids)
        {
            if (!people.TryGetValue(id, out var p)) continue;
            var subject = p.Subject;
            var fit = FitGrade.Evaluate(def.Content.Fit, subject);
            var exclusion = Qualification.Exclusion(def.Content.Exclusions, subject);
            var state = states[id];
            var eligible = true;
            string? note = null;
            DateTime at = default;
            var touches = byPerson[id];
            if (touches.Count == 0)
            {
                var previous = p.Score?.Grade;
                var score = def.Scoring.ScoreAt(state, now);
                if ((anyGrade || previous != fit.Grade) && Qualification.Eligible(p.Stage, p.ReengageAt, now)
                    && Qualification.Decide(def.Content.Qualify, fit.Grade, score, null, exclusion) is Verdict.Score)
                    (note, at) = (Explain(Verdict.Score, fit.Grade, score, null), now);
            }
            foreach (var t in touches)
            {
                def.Scoring.Apply(state, t.Fact);
                if (!eligible || note is not null) continue;
                var timely = t.Fact.At >= p.StageChangedAt || p.Stage == LifecycleStage.Inquiry;
                if (!timely || !Qualification.Eligible(p.Stage, p.ReengageAt, t.Fact.At)) continue;
                var verdict = Qualification.Decide(def.Content.Qualify, fit.Grade, state.Score, t.Fact.Type, exclusion);
                if (verdict is Verdict.Score or Verdict.FastTrack)
                    (note, at) = (Explain(verdict, fit.Grade, state.Score, t.Fact.Type), Clamp(t.Fact.At, p.StageChangedAt, now));
            }
            if (note is not null) mqls.Add(new Mql(id, at, note));
            var row = ToRow(id, def.Row.Id, state, fit);
            if (!Same(row, p.Score)) rows.Add(row); // a person whose state did not change costs no write
        }
        await ScoreWriter.UpsertAsync(db, rows, ct);
        return mqls;
    }

    private static bool Same(LeadScore row, LeadScore? stored) => stored is not null && stored.DefinitionId == row.DefinitionId
        && stored.Score.Equals(row.Score) && stored.ScoredAt == row.ScoredAt && stored.Caps == row.Caps && stored.FitPoints == row.FitPoints
        && stored.Grade == row.Grade;

    /// <summary>PostgreSQL keeps microseconds; scoring the same instants as a later replay from the database keeps the two equal.</summary>
    private static DateTime Microseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    internal static DateTime Clamp(DateTime touchAt, DateTime stageSince, DateTime now) =>
        touchAt < stageSince ? stageSince : touchAt > now ? now : touchAt;

    public static string Explain(Verdict v, Grade fit, double score, TouchType? touch) => v == Verdict.FastTrack
        ? $"Fast track: {PlainLanguage.Words(touch.ToString()!)} with fit {fit}"
        : $"Score {score.ToString("0.#", CultureInfo.InvariantCulture)} with fit {fit}";

    /// <summary>Scores from the start for people with no current state, or with a touch older than their state.</summary>
    private static async Task<Dictionary<int, ScoreState>> RebuildAsync(TandemDb db, Scoring scoring, List<int> ids,
        Dictionary<int, List<NewTouch>> fresh, CancellationToken ct)
    {
        var states = ids.ToDictionary(id => id, _ => scoring.NewState());
        if (ids.Count == 0) return states;
        var skip = fresh.Values.SelectMany(v => v).Select(t => t.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, touches) in await LeadInputs.HistoryAsync(db, ids, skip, ct))
            foreach (var t in touches) scoring.Apply(states[id], t);
        return states;
    }

    /// <summary>The stored time of a state with no touches yet (score 0, so any time is right; this one every database stores).</summary>
    private static readonly DateTime NoTouches = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    internal static LeadScore ToRow(int personId, int definitionId, ScoreState s, FitResult fit) => new()
    {
        PersonId = personId, DefinitionId = definitionId, Score = s.Score, ScoredAt = s.At == default ? NoTouches : s.At, Caps = SaveCaps(s), FitPoints = fit.Points, Grade = fit.Grade,
    };

    internal static string? SaveCaps(ScoreState s)
    {
        var parts = new List<string>();
        for (var i = 0; i < s.CapPeriod.Length; i++)
            if (s.CapPeriod[i] != long.MinValue) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{i}:{s.CapPeriod[i]}:{s.CapUsed[i]}"));
        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    internal static ScoreState Restore(Scoring scoring, LeadScore row)
    {
        var s = scoring.NewState();
        (s.Score, s.At) = (row.Score, row.ScoredAt);
        foreach (var part in (row.Caps ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = part.Split(':');
            var i = int.Parse(f[0], CultureInfo.InvariantCulture);
            if (i < s.CapPeriod.Length) (s.CapPeriod[i], s.CapUsed[i]) = (long.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture));
        }
        return s;
    }
}
