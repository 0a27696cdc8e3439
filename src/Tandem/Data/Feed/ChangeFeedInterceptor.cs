using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tandem.Data.Feed;

/// <summary>
/// Writes the transaction's <see cref="PendingChanges"/> as one feed entry just before it commits, on the same
/// connection and transaction: the change and its feed entry land together or not at all, so a crash between them is
/// impossible. The head row's update is the last statement before COMMIT, so its lock is held only for the commit itself,
/// and the next writer's bump waits for it: sequence numbers are gapless and follow commit order (decision 0041).
/// </summary>
public sealed class ChangeFeedInterceptor : DbTransactionInterceptor
{
    public static readonly ChangeFeedInterceptor Instance = new();

    private const string BumpSql = """UPDATE change_feed_head SET "Seq" = "Seq" + 1 WHERE "Id" = 1 RETURNING "Seq" """;
    private const string InsertSql = """
        INSERT INTO change_feed ("Seq", "At", "People", "Opportunities", "Tables", "Full") VALUES (@seq, @at, @people, @opps, @tables, @full)
        """;

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken ct = default)
    {
        if (eventData.Context is TandemDb db && db.Changes.Any) await WriteAsync(db, transaction, ct);
        return result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is TandemDb db && db.Changes.Any) WriteAsync(db, transaction, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    // Whatever happens to a transaction, its pending changes end with it; a new one starts clean.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Clear(eventData);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken ct = default)
    {
        Clear(eventData);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Clear(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Clear(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Clear(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Clear(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Clear(eventData);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken ct = default)
    {
        Clear(eventData);
        return Task.CompletedTask;
    }

    private static void Clear(DbContextEventData e) => (e.Context as TandemDb)?.Changes.Clear();

    private static async Task WriteAsync(TandemDb db, DbTransaction tx, CancellationToken ct)
    {
        await using var bump = tx.Connection!.CreateCommand();
        bump.Transaction = tx;
        bump.CommandText = BumpSql;
        var seq = Convert.ToInt64(await bump.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        var e = db.Changes.ToEntry(seq, db.UtcNow);
        await using var insert = tx.Connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = InsertSql;
        Add(insert, "@seq", DbType.Int64, e.Seq);
        Add(insert, "@at", RawSql.TimeType(db), RawSql.Time(db, e.At));
        Add(insert, "@people", DbType.String, e.People);
        Add(insert, "@opps", DbType.String, e.Opportunities);
        Add(insert, "@tables", DbType.String, e.Tables);
        Add(insert, "@full", DbType.Boolean, e.Full);
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static void Add(DbCommand cmd, string name, DbType type, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
