using System.Data;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Lifecycle;

/// <summary>
/// The bulk write paths of stage history, in raw SQL (EF's per-entity tracking is the slow part of ingestion; decision
/// 0003): the first stage of people created by touches, and the demo's generated history (rows made by
/// <see cref="StageHistory.Append"/>). Lifecycle owns them so every row of <c>stage_changes</c> is written here.
/// </summary>
public static class StageWriter
{
    private const string EnterSql = """
        INSERT INTO stage_changes ("PersonId", "From", "To", "At", "Cause", "Actor") VALUES (@p, NULL, @to, @at, @cause, @actor)
        """;

    /// <summary>The first stage of people just inserted (their cached stage was written with the row).</summary>
    public static async Task EnterAsync(TandemDb db, IReadOnlyList<(int PersonId, DateTime At)> people, LifecycleStage stage, EntrySource source,
        string actor, CancellationToken ct)
    {
        var time = RawSql.TimeType(db);
        await RawSql.InsertEachAsync(db, EnterSql,
            [("@p", DbType.Int32), ("@to", DbType.String), ("@at", time), ("@cause", DbType.String), ("@actor", DbType.String)],
            [.. people.Select(p => new object?[] { p.PersonId, stage.ToString(), RawSql.Time(db, p.At), Causes.Of(source), actor })], ct);
        db.Changes.People(people.Select(p => p.PersonId));
    }

    /// <summary>The first stage rows made by <see cref="Transitions.EnterNew"/>, once their people are inserted (ids known): in bulk,
    /// binary COPY on PostgreSQL (decision 0096).</summary>
    public static async Task EnterNewAsync(TandemDb db, IReadOnlyList<(Person Person, StageChange Change)> entered, CancellationToken ct)
    {
        foreach (var (p, c) in entered) c.PersonId = p.Id;
        await BulkInsert.AddAsync(db, [.. entered.Select(e => e.Change)], needIds: false, ct);
        db.Changes.People(entered.Select(e => e.Person.Id));
    }

    /// <summary>Rows with their ids already given (the demo numbers them itself).</summary>
    public static async Task InsertAsync(TandemDb db, IReadOnlyList<StageChange> changes, CancellationToken ct)
    {
        var t = RawSql.TimeType(db);
        const DbType S = DbType.String, I = DbType.Int32, L = DbType.Int64;
        var (sql, ps) = RawSql.Insert("stage_changes", ("Id", L), ("PersonId", I), ("From", S), ("To", S), ("At", t), ("Cause", S), ("Actor", S),
            ("Reason", S), ("Note", S), ("ReengageAt", t));
        await RawSql.InsertEachAsync(db, sql, ps, [.. changes.Select(s => new object?[] { s.Id, s.PersonId, s.From?.ToString(),
            s.To.ToString(), RawSql.Time(db, s.At), s.Cause, s.Actor, s.Reason, s.Note, s.ReengageAt is { } r ? RawSql.Time(db, r) : null })], ct);
        db.Changes.People(changes.Select(c => c.PersonId));
    }
}
