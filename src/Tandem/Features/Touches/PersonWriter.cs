using System.Data;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Touches;

/// <summary>A person first seen in a batch of touches.</summary>
internal readonly record struct NewPerson(string? Email, string? ExternalId, string? FirstName, string? LastName, DateTime CreatedAt, Channel? SourceChannel,
    int? SourceCampaignId, int? AccountId);

/// <summary>
/// Creates the people a batch of touches names for the first time, with the rows EF would have written for them:
/// the person (Version 1), their first <see cref="StageChange"/> to Inquiry, and a "person.created" activity row when
/// auditing is on. Raw SQL because EF's per-entity tracking made this the slowest part of ingestion
/// (docs/decisions/0003-touch-ingestion-write-path.md). A person created meanwhile by someone else is skipped, not an error.
/// </summary>
internal static class PersonWriter
{
    private const string PersonSql = """
        INSERT INTO people ("Email", "ExternalId", "FirstName", "LastName", "AccountId", "SourceChannel", "SourceCampaignId", "Stage", "StageChangedAt", "CreatedAt", "UpdatedAt", "Version")
        VALUES (@e, @x, @f, @l, @a, @s, @k, @st, @c, @c, @u, 1) ON CONFLICT DO NOTHING
        """;
    private const string ActivitySql = """
        INSERT INTO activity ("At", "Actor", "SubjectKind", "SubjectId", "Kind", "Detail") VALUES (@at, @actor, @kind, @id, 'person.created', NULL)
        """;

    /// <summary>Creates the people; returns those this call created with their ids (a key someone else took meanwhile is skipped).</summary>
    public static async Task<List<(NewPerson Person, int Id)>> InsertAsync(TandemDb db, IReadOnlyList<NewPerson> batch, DateTime now, CancellationToken ct)
    {
        // In key order, so batches creating the same new people lock them in the same order (no deadlock on PostgreSQL).
        var people = batch.OrderBy(p => p.ExternalId ?? "", StringComparer.Ordinal).ThenBy(p => p.Email ?? "", StringComparer.Ordinal).ToList();
        var time = RawSql.TimeType(db);
        var inquiry = LifecycleStage.Inquiry.ToString();
        var inserted = await RawSql.InsertEachAsync(db, PersonSql,
            [("@e", DbType.String), ("@x", DbType.String), ("@f", DbType.String), ("@l", DbType.String), ("@a", DbType.Int32), ("@s", DbType.String),
             ("@k", DbType.Int32), ("@st", DbType.String), ("@c", time), ("@u", time)],
            [.. people.Select(p => new object?[] { p.Email, p.ExternalId, p.FirstName, p.LastName, p.AccountId, p.SourceChannel?.ToString(),
                p.SourceCampaignId, inquiry, RawSql.Time(db, p.CreatedAt), RawSql.Time(db, now) })], ct);
        var mine = people.Where((_, i) => inserted[i]).ToList();
        // Each new row is read back by the key it was created under: its external id when it has one, else its email.
        var byId = await RawSql.LookupAsync(db, "people", "ExternalId", [.. mine.Where(p => p.ExternalId is not null).Select(p => p.ExternalId!)], ct);
        var byEmail = await RawSql.LookupAsync(db, "people", "Email", [.. mine.Where(p => p.ExternalId is null).Select(p => p.Email!)], ct);
        var ids = mine.Select(p => (Person: p, Id: p.ExternalId is { } x ? byId[x] : byEmail[p.Email!])).ToList();
        db.Changes.People(ids.Select(i => i.Id));

        await Lifecycle.StageWriter.EnterAsync(db, [.. ids.Select(i => (i.Id, i.Person.CreatedAt))], LifecycleStage.Inquiry, Lifecycle.EntrySource.Touch, db.Actor, ct);
        if (db.AuditChanges)
            await RawSql.InsertEachAsync(db, ActivitySql, [("@at", time), ("@actor", DbType.String), ("@kind", DbType.String), ("@id", DbType.Int32)],
                [.. ids.Select(i => new object?[] { RawSql.Time(db, now), db.Actor, SubjectKind.Person.ToString(), i.Id })], ct);
        return ids;
    }
}
