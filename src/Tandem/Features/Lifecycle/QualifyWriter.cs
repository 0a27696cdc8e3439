using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Activity;
using Tandem.Features.Handoffs;
using Tandem.Features.People;

namespace Tandem.Features.Lifecycle;

/// <summary>
/// Automatic MQL on the ingestion path, in plain SQL: the people's stage, owner and version, their stage-change rows, the
/// handoffs with their credits, and the activity rows an EF save would write (<c>person.updated</c>, <c>handoff.assigned</c>).
/// EF's change tracking of a thousand people and their rows took 1–2 s a batch (decision 0043).
/// </summary>
internal static class QualifyWriter
{
    private const string Select = """
        SELECT "Id", "Email", "Stage", "StageChangedAt", "ReengageAt", "AccountId", "OwnerId", "Version", "UpdatedAt" FROM people
        """;

    private const string Update = """
        UPDATE people SET "Stage" = @stage, "StageChangedAt" = @at, "ReengageAt" = NULL, "OwnerId" = @owner, "Version" = "Version" + 1,
            "UpdatedAt" = @now WHERE "Id" = @id AND "Version" = @version
        """;

    /// <summary>The people as stored, untracked.</summary>
    public static async Task<Dictionary<int, Person>> LoadAsync(TandemDb db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var found = new Dictionary<int, Person>(ids.Count);
        static DateTime Utc(DbDataReader r, int i) => DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc);
        await RawSql.ForIdsAsync(db, Select, "\"Id\"", ids, r => found[r.GetInt32(0)] = new Person
        {
            Id = r.GetInt32(0), Email = r.GetString(1), Stage = Enum.Parse<LifecycleStage>(r.GetString(2)), StageChangedAt = Utc(r, 3),
            ReengageAt = r.IsDBNull(4) ? null : Utc(r, 4), AccountId = r.IsDBNull(5) ? null : r.GetInt32(5),
            OwnerId = r.IsDBNull(6) ? null : r.GetInt32(6), Version = r.GetInt32(7), UpdatedAt = Utc(r, 8),
        }, ct);
        return found;
    }

    /// <summary>What the activity log compares: a person's fields that qualifying changes.</summary>
    public readonly record struct Before(LifecycleStage Stage, DateTime StageChangedAt, DateTime? ReengageAt, int? OwnerId)
    {
        public static Before Of(Person p) => new(p.Stage, p.StageChangedAt, p.ReengageAt, p.OwnerId);
    }

    /// <summary>
    /// Writes the moves made in memory: <paramref name="before"/> holds each person as loaded, <paramref name="after"/> the
    /// people after <see cref="StageHistory.Append"/> and routing. A person changed by someone else since it was read fails
    /// the whole batch, as a stale EF save would.
    /// </summary>
    public static async Task WriteAsync(TandemDb db, IReadOnlyDictionary<int, Before> before, IReadOnlyList<Person> after, List<StageChange> changes,
        List<Assigned> made, string actor, CancellationToken ct)
    {
        var now = db.UtcNow;
        var time = RawSql.TimeType(db);
        var people = after.OrderBy(p => p.Id).ToList(); // row locks in key order, as every writer takes them
        var updated = await RawSql.InsertEachAsync(db, Update,
            [("@stage", DbType.String), ("@at", time), ("@owner", DbType.Int32), ("@now", time), ("@id", DbType.Int32), ("@version", DbType.Int32)],
            [.. people.Select(p => new object?[] { p.Stage.ToString(), RawSql.Time(db, p.StageChangedAt), p.OwnerId, RawSql.Time(db, now), p.Id, p.Version })], ct);
        if (Array.IndexOf(updated, false) is var stale and >= 0)
            throw new DbUpdateConcurrencyException($"Person {people[stale].Id} was changed by someone else while it qualified; nothing was saved.");

        // In the order an EF save writes them: the handoff's row, then the person's change.
        var log = new List<ActivityEntry>(people.Count + made.Count);
        log.AddRange(made.Select(m => m.Log));
        foreach (var p in people)
        {
            var old = before[p.Id];
            log.Add(ChangeAudit.Updated(SubjectKind.Person, p.Id, now, actor,
            [
                (nameof(Person.OwnerId), old.OwnerId, p.OwnerId), (nameof(Person.ReengageAt), old.ReengageAt, p.ReengageAt),
                (nameof(Person.Stage), old.Stage, p.Stage), (nameof(Person.StageChangedAt), old.StageChangedAt, p.StageChangedAt),
            ]));
            (p.Version, p.UpdatedAt) = (p.Version + 1, now);
        }
        await RawInsert.AddAsync(db, changes, ct);

        foreach (var h in made.Select(m => m.Handoff)) (h.Version, h.UpdatedAt) = (1, now);
        await RawInsert.AddAsync(db, [.. made.Select(m => m.Handoff)], ct);
        var credits = made.Where(m => m.Influence is not null).Select(m => m.Influence!).ToList();
        foreach (var c in credits) c.HandoffId = c.Handoff!.Id;
        await RawInsert.AddAsync(db, credits, ct);
        await RawInsert.AddAsync(db, log, ct);

        db.Changes.People(people.Select(p => p.Id));
        if (made.Count > 0) db.Changes.Table("handoffs");
        if (credits.Count > 0) db.Changes.Table("opportunity_influences");
    }
}
