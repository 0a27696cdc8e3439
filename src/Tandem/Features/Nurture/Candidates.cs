using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Nurture;

/// <summary>Everyone who could enter a track: people in Nurture or Inquiry, mailable, not in a track now. Read in narrow passes.</summary>
public static class Candidates
{
    public static async Task<List<PersonFacts>> LoadAsync(TandemDb db, Personas personas, IReadOnlyList<string> propertyNames, bool requireConsent, CancellationToken ct)
    {
        var busy = (await db.NurtureEnrolments.AsNoTracking().Where(e => e.Status == EnrolmentStatus.Active).Select(e => e.PersonId).ToListAsync(ct)).ToHashSet();
        var suppressed = (await db.EmailSuppressions.AsNoTracking().Select(s => s.Email).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var consent = await db.EmailConsents.AsNoTracking().Select(c => new { c.PersonId, c.State }).ToDictionaryAsync(c => c.PersonId, c => c.State, ct);
        var scores = await db.LeadScores.AsNoTracking().Select(s => new { s.PersonId, s.Score, s.Grade }).ToDictionaryAsync(s => s.PersonId, s => (s.Score, s.Grade), ct);
        var reasons = new Dictionary<int, string?>();
        foreach (var r in await db.StageChanges.AsNoTracking().Where(c => c.To == LifecycleStage.Nurture).OrderBy(c => c.Id)
                     .Select(c => new { c.PersonId, c.Reason }).ToListAsync(ct))
            reasons[r.PersonId] = r.Reason; // the last recycle wins
        var props = new Dictionary<int, Dictionary<string, string>>();
        if (propertyNames.Count > 0)
            foreach (var p in await db.CustomProperties.AsNoTracking().Where(c => c.SubjectKind == SubjectKind.Person && propertyNames.Contains(c.Name))
                         .Select(c => new { c.SubjectId, c.Name, c.Value }).ToListAsync(ct))
            {
                if (!props.TryGetValue(p.SubjectId, out var d)) props[p.SubjectId] = d = new(StringComparer.OrdinalIgnoreCase);
                d[p.Name] = p.Value;
            }
        var list = new List<PersonFacts>();
        var people = await db.People.AsNoTracking().Where(p => p.Stage == LifecycleStage.Nurture || p.Stage == LifecycleStage.Inquiry)
            .Select(p => new { p.Id, p.Stage, p.Title, p.SourceChannel, p.Email }).ToListAsync(ct);
        // Titles repeat a great deal: each is mapped to its persona once.
        var persona = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in people)
        {
            if (busy.Contains(p.Id)) continue;
            if (Mailable.Why(p.Email, p.Email is not null && suppressed.Contains(p.Email) ? SuppressionReason.Manual : null,
                    consent.TryGetValue(p.Id, out var c) ? c : null, requireConsent) is not null) continue;
            var (score, grade) = scores.TryGetValue(p.Id, out var s) ? (s.Score, (Grade?)s.Grade) : (0, null);
            list.Add(new PersonFacts(p.Id, p.Stage, reasons.GetValueOrDefault(p.Id), p.Title is null ? personas.Of(null) : persona.TryGetValue(p.Title, out var known) ? known : persona[p.Title] = personas.Of(p.Title), grade, score, p.SourceChannel, props.GetValueOrDefault(p.Id)));
        }
        return list;
    }

    /// <summary>Each candidate goes to the first track (in the order given) whose rule matches. Pure.</summary>
    /// <param name="before">Track and person pairs (<see cref="Pair"/>) already enrolled once: nobody goes through a track twice.</param>
    public static List<(int TrackId, int PersonId)> Match(IReadOnlyList<(int Id, EnrolRule Rule)> tracks, IReadOnlyList<PersonFacts> people, int threshold,
        IReadOnlySet<long>? before = null)
    {
        var picked = new List<(int, int)>();
        foreach (var p in people)
            foreach (var (id, rule) in tracks)
                if (before?.Contains(Pair(id, p.Id)) != true && EnrolRules.Matches(rule, p, threshold))
                {
                    picked.Add((id, p.Id));
                    break;
                }
        return picked;
    }

    public static long Pair(int trackId, int personId) => ((long)trackId << 32) | (uint)personId;

    public static async Task<HashSet<long>> EnrolledAsync(TandemDb db, CancellationToken ct) =>
        (await db.NurtureEnrolments.AsNoTracking().Select(e => new { e.TrackId, e.PersonId }).ToListAsync(ct)).Select(e => Pair(e.TrackId, e.PersonId)).ToHashSet();
}
