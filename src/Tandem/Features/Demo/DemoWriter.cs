using System.Data;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Features.Demo;

/// <summary>
/// Writes the bulk of the demo (accounts, people, stage histories, opportunities) with prepared raw INSERTs, as touch
/// ingestion does: EF's SaveChanges managed about 10,000 rows a second here, which made the default demo take
/// fifteen seconds. The rows are written exactly as EF would store them (same text form of times, enums as names).
/// </summary>
internal static class DemoWriter
{
    private const DbType S = DbType.String, I = DbType.Int32, L = DbType.Int64;

    public static async Task AccountsAsync(TandemDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var t = RawSql.TimeType(db);
        var (sql, ps) = RawSql.Insert("accounts", ("Id", I), ("Name", S), ("Domain", S), ("Industry", S), ("EmployeeCount", I), ("AnnualRevenue", L),
            ("Currency", S), ("Country", S), ("Region", S), ("OwnerId", I), ("Status", S), ("CreatedAt", t), ("UpdatedAt", t), ("Version", I));
        await RawSql.InsertEachAsync(db, sql, ps, [.. accounts.Select(a => new object?[] { a.Id, a.Name, a.Domain, a.Industry, a.EmployeeCount,
            a.AnnualRevenue, a.Currency, a.Country, a.Region, a.OwnerId, a.Status.ToString(), Time(db, a.CreatedAt), Time(db, now), 1 })], ct);
    }

    public static async Task ChunkAsync(TandemDb db, DemoChunk chunk, DateTime now, CancellationToken ct)
    {
        var t = RawSql.TimeType(db);
        var (sql, ps) = RawSql.Insert("people", ("Id", I), ("Email", S), ("FirstName", S), ("LastName", S), ("Title", S), ("Phone", S),
            ("AccountId", I), ("SourceChannel", S), ("SourceCampaignId", I), ("Stage", S), ("StageChangedAt", t), ("ReengageAt", t),
            ("OwnerId", I), ("CreatedAt", t), ("UpdatedAt", t), ("Version", I));
        await RawSql.InsertEachAsync(db, sql, ps, [.. chunk.People.Select(p => new object?[] { p.Id, p.Email, p.FirstName, p.LastName, p.Title,
            p.Phone, p.AccountId, p.SourceChannel?.ToString(), p.SourceCampaignId, p.Stage.ToString(), Time(db, p.StageChangedAt),
            Time(db, p.ReengageAt), p.OwnerId, Time(db, p.CreatedAt), Time(db, now), 1 })], ct);

        await Lifecycle.StageWriter.InsertAsync(db, chunk.StageChanges, ct);

        (sql, ps) = RawSql.Insert("opportunities", ("Id", I), ("Name", S), ("AccountId", I), ("PrimaryPersonId", I), ("OwnerId", I),
            ("AmountMinor", L), ("Currency", S), ("SalesStage", S), ("CreatedAt", t), ("ExpectedCloseAt", t), ("Outcome", S),
            ("OutcomeReason", S), ("ClosedAt", t), ("RecordedAt", t), ("UpdatedAt", t), ("Version", I));
        await RawSql.InsertEachAsync(db, sql, ps, [.. chunk.Opportunities.Select(o => new object?[] { o.Id, o.Name, o.AccountId, o.PrimaryPersonId,
            o.OwnerId, o.AmountMinor, o.Currency, o.SalesStage, Time(db, o.CreatedAt), Time(db, o.ExpectedCloseAt), o.Outcome.ToString(),
            o.OutcomeReason, Time(db, o.ClosedAt), Time(db, now), Time(db, now), 1 })], ct);

        (sql, ps) = RawSql.Insert("opportunity_stage_changes", ("Id", L), ("OpportunityId", I), ("From", S), ("To", S), ("Outcome", S), ("At", t), ("Actor", S));
        await RawSql.InsertEachAsync(db, sql, ps, [.. chunk.OpportunityChanges.Select(c => new object?[] { c.Id, c.OpportunityId, c.From, c.To,
            c.Outcome.ToString(), Time(db, c.At), c.Actor })], ct);

        db.Changes.Everything(); // a bulk load: readers of the feed rebuild rather than follow
        await TouchWriter.InsertAsync(db, chunk.Touches, ct);
        await Agreement.ScoreWriter.UpsertAsync(db, chunk.Scores, ct);
        // A few thousand rows per slice: EF is fast enough here, and keeps the handoff columns in one place.
        db.Handoffs.AddRange(chunk.Handoffs);
        db.HandoffAttempts.AddRange(chunk.HandoffAttempts);
        db.SlaBreaches.AddRange(chunk.SlaBreaches);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static object? Time(TandemDb db, DateTime? utc) => utc is { } v ? RawSql.Time(db, v) : null;
}
