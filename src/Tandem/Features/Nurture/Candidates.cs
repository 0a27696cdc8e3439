using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Insight;

namespace Tandem.Features.Nurture;

/// <summary>Everyone who could enter a track: people in Nurture or Inquiry, mailable, not in a track now. Read in narrow passes.</summary>
public static class Candidates
{
    /// <param name="wanted">When given, only people it accepts are checked further and returned (the enrolment pass passes "matches an
    /// active track", so the address of someone no track wants is never parsed). The result for those it accepts is unchanged.</param>
    public static async Task<List<PersonFacts>> LoadAsync(TandemDb db, Personas personas, IReadOnlyList<string> propertyNames, bool requireConsent, CancellationToken ct,
        Func<PersonFacts, bool>? wanted = null)
    {
        var busy = (await db.NurtureEnrolments.AsNoTracking().Where(e => e.Status == EnrolmentStatus.Active).Select(e => e.PersonId).ToListAsync(ct)).ToHashSet();
        var suppressed = (await db.EmailSuppressions.AsNoTracking().Select(s => s.Email).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var consent = await db.EmailConsents.AsNoTracking().Select(c => new { c.PersonId, c.State }).ToDictionaryAsync(c => c.PersonId, c => c.State, ct);
        // Only the recycle reasons matter, and only for people in Nurture now (looked up below). Every move to Nurture is read in
        // one scan without joining people for their stage: a lookup per row cost more than the few rows of people since moved on.
        var reasons = new Dictionary<int, string?>();
        await foreach (var r in Scan(db, db.StageChanges, ScanStageChanges).AsNoTracking().Where(c => c.To == LifecycleStage.Nurture)
                           .OrderBy(c => c.Id).Select(c => new { c.PersonId, c.Reason }).AsAsyncEnumerable().WithCancellation(ct))
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
        // One pass over the nurtured stages with each score joined in (no dictionary of every score), streamed row by row.
        var people = from p in Scan(db, db.People, ScanPeople).AsNoTracking()
                     where p.Stage == LifecycleStage.Nurture || p.Stage == LifecycleStage.Inquiry
                     join s in db.LeadScores on p.Id equals s.PersonId into scored
                     from s in scored.DefaultIfEmpty()
                     select new { p.Id, p.Stage, p.Title, p.SourceChannel, p.Email, Score = (double?)s.Score, Grade = (Grade?)s.Grade };
        // Titles repeat a great deal: each is mapped to its persona once.
        var persona = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var p in people.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (busy.Contains(p.Id) || p.Email is null) continue;
            var facts = new PersonFacts(p.Id, p.Stage, p.Stage == LifecycleStage.Nurture ? reasons.GetValueOrDefault(p.Id) : null,
                p.Title is null ? personas.Of(null) : persona.TryGetValue(p.Title, out var known) ? known : persona[p.Title] = personas.Of(p.Title),
                p.Grade, p.Score ?? 0, p.SourceChannel, props.GetValueOrDefault(p.Id));
            if (wanted is not null && !wanted(facts)) continue;
            // Parsing the address is the dearest check, so it comes last.
            if (Mailable.Why(p.Email, suppressed.Contains(p.Email) ? SuppressionReason.Manual : null,
                    consent.TryGetValue(p.Id, out var c) ? c : null, requireConsent) is not null) continue;
            list.Add(facts);
        }
        return list;
    }

    private const string ScanPeople = "SELECT * FROM \"people\" NOT INDEXED", ScanStageChanges = "SELECT * FROM \"stage_changes\" NOT INDEXED";

    /// <summary>
    /// The whole table, read in storage order. SQLite has no statistics here, so for "Stage is Nurture or Inquiry" (most people)
    /// and "moved to Nurture" (a large part of the history) it takes the index and then fetches every row by id in the index's
    /// order: one random page read a row. A plain scan reads the same rows several times faster (the people query: 0.2 s against
    /// 1.4 s, the recycle reasons: 0.2 s against 0.8 s at 150,000 demo people; docs/benchmarks.md, Nurture). PostgreSQL keeps
    /// statistics and picks a scan for such a share by itself, so it gets the table as it is.
    /// </summary>
    private static IQueryable<T> Scan<T>(TandemDb db, DbSet<T> table, string sql) where T : class => db.IsSqlite ? table.FromSqlRaw(sql) : table;

    /// <summary>Who enters which track now: the candidates any of <paramref name="tracks"/> wants, matched in order (the enrolment pass).</summary>
    public static async Task<List<(int TrackId, int PersonId)>> PickAsync(TandemDb db, Personas personas, IReadOnlyList<(int Id, EnrolRule Rule)> tracks, int threshold,
        bool requireConsent, IReadOnlySet<long>? before, CancellationToken ct)
    {
        var properties = tracks.SelectMany(t => t.Rule.Properties?.Keys.AsEnumerable() ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var candidates = await LoadAsync(db, personas, properties, requireConsent, ct, wanted: p => tracks.Any(t => EnrolRules.Matches(t.Rule, p, threshold)));
        return Match(tracks, candidates, threshold, before);
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
