using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Insight;

namespace Tandem.Features.Agreement;

/// <summary>
/// Replays history under a draft and under the active version and compares them (a singleton: it keeps the last
/// <see cref="Timeline"/> while the data is unchanged). People are replayed in parallel; each replay is
/// <see cref="Replay.Person"/>, the same arithmetic as the live engine.
/// </summary>
public sealed class WhatIfService(InsightStore history)
{
    public const int DefaultMonths = 12;
    private Timeline? _last;
    private KeptReplay? _active; // a reference, so concurrent requests swap it atomically
    private readonly Dictionary<string, (Timeline Timeline, Judgement[] Judged)> _judged = new(StringComparer.Ordinal);

    /// <summary>A what-if over its own fresh load of the database (the command line and benchmarks).</summary>
    public WhatIfService() : this(new InsightStore(new Personas())) { }

    /// <summary>The view of the current shared history (decision 0042): no load of its own, and after new data only the people
    /// who changed get new fit subjects.</summary>
    public async Task<Timeline> TimelineAsync(TandemDb db, CancellationToken ct)
    {
        var t = Timeline.Of(await history.GetAsync(db, ct), _last);
        _last = t;
        return t;
    }

    /// <summary>Null when the version or the active one does not exist.</summary>
    public async Task<WhatIfResult?> RunAsync(TandemDb db, int draftNumber, int months, CancellationToken ct)
    {
        var draft = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Number == draftNumber, ct);
        var active = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Status == DefinitionStatus.Active, ct);
        if (draft is null || active is null) return null;
        var timeline = await TimelineAsync(db, ct);
        var now = db.UtcNow;
        var from = now.AddMonths(-months);
        var a = await ActiveReplayAsync(db, timeline, active, now, ct);
        var d = draft.Id == active.Id ? a : await ReplayAllAsync(db, timeline, draft.Parsed(), now, ct, (c, s) => Judged(timeline, c, s));
        return WhatIfMath.Compare(timeline, draft.Number, active.Number, d, a, from, now);
    }

    /// <summary>
    /// What the what-if of <paramref name="newer"/> against <paramref name="older"/> predicts an activation's re-evaluation will
    /// qualify: the people it gains over the last <paramref name="months"/> who are still waiting now (decision 0085).
    /// </summary>
    public async Task<int> PredictGainAsync(TandemDb db, LeadDefinition newer, LeadDefinition older, int months, CancellationToken ct)
    {
        var timeline = await TimelineAsync(db, ct);
        var now = db.UtcNow;
        var o = await ReplayAllAsync(db, timeline, older.Parsed(), now, ct, (c, s) => Judged(timeline, c, s));
        var n = await ReplayAllAsync(db, timeline, newer.Parsed(), now, ct, (c, s) => Judged(timeline, c, s));
        return WhatIfMath.GainedStillWaiting(timeline, n, o, now.AddMonths(-months), now);
    }

    /// <summary>The active version's replay is the same for every draft compared with it, so it is kept. After new data only
    /// the people who changed are replayed again. It is reused only while no touch is later than "now", the one input
    /// besides the data and the content.</summary>
    private async Task<DateTime[]?[]> ActiveReplayAsync(TandemDb db, Timeline timeline, LeadDefinition active, DateTime now, CancellationToken ct)
    {
        var kept = _active is { } c && c.Hash == active.ContentHash && timeline.LastTouchAt <= now ? c : null;
        if (kept?.Timeline == timeline) return kept.Mqls;
        var only = kept is null ? null : timeline.Facts.ChangedSince(kept.Timeline.Facts);
        var mqls = await ReplayAllAsync(db, timeline, active.Parsed(), now, ct, (c, s) => Judged(timeline, c, s), only, kept?.Mqls);
        if (timeline.LastTouchAt <= now) _active = new KeptReplay(timeline, active.ContentHash, mqls);
        return mqls;
    }

    /// <summary>The replayed MQL times of every person (null for none), under one definition.</summary>
    /// <param name="only">Replay just these positions, taking everyone else's result from <paramref name="earlier"/> (a replay of an
    /// older snapshot of the same history, under the same content).</param>
    public static async Task<DateTime[]?[]> ReplayAllAsync(TandemDb db, Timeline t, DefinitionContent content, DateTime now, CancellationToken ct,
        Func<DefinitionContent, FitSubject[], Judgement[]>? judge = null, List<int>? only = null, DateTime[]?[]? earlier = null)
    {
        var subjects = await WithPropsAsync(db, t, content, ct);
        var judged = judge is not null && subjects == t.Subjects ? judge(content, subjects) : Judge(content, subjects);
        var scoring = new Scoring(content.Engagement);
        var result = new DateTime[]?[t.Count];
        var positions = only is not null && earlier is not null && subjects == t.Subjects ? only : null;
        if (positions is not null) Array.Copy(earlier!, result, Math.Min(earlier!.Length, result.Length));
        var count = positions?.Count ?? t.Count;
        if (count == 0) return result;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, 20_000), () => new List<DateTime>(), (range, _, mqls) =>
        {
            for (var r = range.Item1; r < range.Item2; r++)
            {
                var i = positions?[r] ?? r;
                result[i] = null;
                var (fit, exclusion) = judged[i];
                if (!Qualification.CanQualify(content.Qualify, fit, exclusion)) continue;
                mqls.Clear();
                Replay.Person(scoring, content.Qualify, fit, exclusion, t.TouchesOf(i), t.StagesOf(i), now, mqls);
                if (mqls.Count > 0) result[i] = [.. mqls];
            }
            return mqls;
        }, _ => { });
        return result;
    }

    /// <summary>Every person's fit grade and exclusion under a definition (string matching, so worth keeping between runs).</summary>
    public static Judgement[] Judge(DefinitionContent content, FitSubject[] subjects)
    {
        var judged = new Judgement[subjects.Length];
        Parallel.For(0, subjects.Length, i =>
            judged[i] = new(FitGrade.PointsGrade(content.Fit, subjects[i]), Qualification.Exclusion(content.Exclusions, subjects[i])));
        return judged;
    }

    /// <summary>Drafts mostly change the threshold or points, not fit and exclusions: judgements are kept per (fit, exclusions)
    /// content, and after new data redone only for the people who changed.</summary>
    private Judgement[] Judged(Timeline timeline, DefinitionContent content, FitSubject[] subjects)
    {
        var key = JsonSerializer.Serialize(new { content.Fit, content.Exclusions }, DefinitionContent.Json);
        Timeline? keptFor = null;
        Judgement[]? keptJudged = null;
        lock (_judged)
            if (_judged.TryGetValue(key, out var k)) (keptFor, keptJudged) = k;
        if (keptFor == timeline && keptJudged is not null) return keptJudged;
        Judgement[] judged;
        if (keptFor is not null && keptJudged is not null && timeline.Facts.ChangedSince(keptFor.Facts) is { } changed
            && ReferenceEquals(keptFor.Facts.Accounts, timeline.Facts.Accounts))
        {
            judged = new Judgement[subjects.Length];
            Array.Copy(keptJudged, judged, Math.Min(keptJudged.Length, judged.Length));
            foreach (var i in changed)
                judged[i] = new(FitGrade.PointsGrade(content.Fit, subjects[i]), Qualification.Exclusion(content.Exclusions, subjects[i]));
        }
        else judged = Judge(content, subjects);
        lock (_judged) _judged[key] = (timeline, judged);
        return judged;
    }

    /// <summary>Custom properties are not kept in the timeline; a definition that names some gets them read for this run.</summary>
    private static async Task<FitSubject[]> WithPropsAsync(TandemDb db, Timeline t, DefinitionContent d, CancellationToken ct)
    {
        var personNames = PropNames(d, FitFields.PersonProp);
        var accountNames = PropNames(d, FitFields.AccountProp);
        if (personNames.Count == 0 && accountNames.Count == 0) return t.Subjects;
        var personProps = await PropsAsync(db, SubjectKind.Person, personNames, ct);
        var accountProps = await PropsAsync(db, SubjectKind.Account, accountNames, ct);
        var accountOf = accountNames.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => p.AccountId != null)
            .ToDictionaryAsync(p => p.Id, p => p.AccountId!.Value, ct);
        return [.. t.Subjects.Select((s, i) => s with
        {
            PersonProps = personProps.GetValueOrDefault(t.PersonIds[i]),
            AccountProps = accountOf.TryGetValue(t.PersonIds[i], out var a) ? accountProps.GetValueOrDefault(a) : null,
        })];
    }

    private static List<string> PropNames(DefinitionContent d, string prefix) =>
        [.. d.Fit.Rules.Where(r => r.Field.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Field[prefix.Length..]).Distinct()];

    private static async Task<Dictionary<int, IReadOnlyDictionary<string, string>>> PropsAsync(TandemDb db, SubjectKind kind, List<string> names,
        CancellationToken ct)
    {
        if (names.Count == 0) return [];
        var rows = await db.CustomProperties.AsNoTracking().Where(p => p.SubjectKind == kind && names.Contains(p.Name))
            .Select(p => new { p.SubjectId, p.Name, p.Value }).ToListAsync(ct);
        return rows.GroupBy(r => r.SubjectId).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, string>)g.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal));
    }

    private sealed record KeptReplay(Timeline Timeline, string Hash, DateTime[]?[] Mqls);
}
