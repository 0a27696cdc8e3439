using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>
/// Replays history under a draft and under the active version and compares them (a singleton: it keeps the last
/// <see cref="Timeline"/> while the data is unchanged). People are replayed in parallel; each replay is
/// <see cref="Replay.Person"/>, the same arithmetic as the live engine.
/// </summary>
public sealed class WhatIfService
{
    public const int DefaultMonths = 12;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Timeline? _timeline;
    private KeptReplay? _active; // a reference, so concurrent requests swap it atomically
    private readonly Dictionary<string, Judgement[]> _judged = new(StringComparer.Ordinal);
    private Timeline? _judgedFor;

    public async Task<Timeline> TimelineAsync(TandemDb db, CancellationToken ct)
    {
        var stamp = await Timeline.StampAsync(db, ct);
        if (_timeline?.Stamp == stamp) return _timeline;
        await _gate.WaitAsync(ct);
        try
        {
            if (_timeline?.Stamp != stamp)
            {
                _timeline = null; // let the old arrays go before the new ones are built
                _timeline = await Timeline.LoadAsync(db, ct);
            }
            return _timeline;
        }
        finally { _gate.Release(); }
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

    /// <summary>The active version's replay is the same for every draft compared with it, so it is kept with the
    /// timeline. It is reused only while no touch is later than "now", the one input besides the data and the content.</summary>
    private async Task<DateTime[]?[]> ActiveReplayAsync(TandemDb db, Timeline timeline, LeadDefinition active, DateTime now, CancellationToken ct)
    {
        if (_active is { } c && c.Timeline == timeline && c.Hash == active.ContentHash && timeline.LastTouchAt <= now) return c.Mqls;
        var mqls = await ReplayAllAsync(db, timeline, active.Parsed(), now, ct, (c, s) => Judged(timeline, c, s));
        if (timeline.LastTouchAt <= now) _active = new KeptReplay(timeline, active.ContentHash, mqls);
        return mqls;
    }

    /// <summary>The replayed MQL times of every person (null for none), under one definition.</summary>
    public static async Task<DateTime[]?[]> ReplayAllAsync(TandemDb db, Timeline t, DefinitionContent content, DateTime now, CancellationToken ct,
        Func<DefinitionContent, FitSubject[], Judgement[]>? judge = null)
    {
        var subjects = await WithPropsAsync(db, t, content, ct);
        var judged = judge is not null && subjects == t.Subjects ? judge(content, subjects) : Judge(content, subjects);
        var scoring = new Scoring(content.Engagement);
        var result = new DateTime[]?[t.Count];
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, t.Count, 20_000), () => new List<DateTime>(), (range, _, mqls) =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
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

    /// <summary>Drafts mostly change the threshold or points, not fit and exclusions: judgements are kept per timeline and
    /// per (fit, exclusions) content.</summary>
    private Judgement[] Judged(Timeline timeline, DefinitionContent content, FitSubject[] subjects)
    {
        var key = JsonSerializer.Serialize(new { content.Fit, content.Exclusions }, DefinitionContent.Json);
        lock (_judged)
        {
            if (_judgedFor != timeline) { _judged.Clear(); _judgedFor = timeline; }
            if (_judged.TryGetValue(key, out var kept)) return kept;
        }
        var judged = Judge(content, subjects);
        lock (_judged) _judged[key] = judged;
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
