using System.Data;
using NpgsqlTypes;
using Tandem.Data;

namespace Tandem.Features.Touches;

public readonly record struct TouchRow(string EventId, int PersonId, TouchType Type, Channel Channel, int? CampaignId,
    DateTime OccurredAt, DateTime ReceivedAt, string? Properties);

/// <summary>
/// Inserts touches with ON CONFLICT DO NOTHING on the event id: the database, not a prior lookup, decides what is a
/// duplicate, so a resent batch adds nothing even under races. This bypasses EF's change tracker on purpose: touches
/// are append-only and the hottest write path (docs/decisions/0003-touch-ingestion-write-path.md).
/// SQLite gets one prepared statement reused per row; PostgreSQL gets the whole batch as arrays in one
/// INSERT … SELECT FROM unnest (one round trip instead of one per row).
/// </summary>
public static class TouchWriter
{
    private const string Columns = """INSERT INTO touches ("EventId", "PersonId", "Type", "Channel", "CampaignId", "OccurredAt", "ReceivedAt", "Properties") """;
    private const string OnConflict = """ ON CONFLICT ("EventId") DO NOTHING""";

    /// <summary>Which rows went in; the others were already stored (same event id).</summary>
    public static async Task<bool[]> InsertAsync(TandemDb db, IReadOnlyList<TouchRow> rows, CancellationToken ct)
    {
        var inserted = await InsertRowsAsync(db, rows, ct);
        // Readers of the change feed learn whose history grew (written with this transaction's commit).
        for (var i = 0; i < rows.Count; i++)
            if (inserted[i]) db.Changes.Person(rows[i].PersonId);
        return inserted;
    }

    private static Task<bool[]> InsertRowsAsync(TandemDb db, IReadOnlyList<TouchRow> rows, CancellationToken ct) =>
        rows.Count == 0 ? Task.FromResult(Array.Empty<bool>()) : db.IsSqlite ? SqliteAsync(db, rows, ct) : PostgresAsync(db, rows, ct);

    private static async Task<bool[]> PostgresAsync(TandemDb db, IReadOnlyList<TouchRow> batch, CancellationToken ct)
    {
        // Inserted in event-id order, so batches that share event ids take their index locks in the same order (no deadlock).
        var rows = batch.OrderBy(r => r.EventId, StringComparer.Ordinal).ToList();
        await using var cmd = await RawSql.CommandAsync(db,
            Columns + "SELECT * FROM unnest(@e, @p, @t, @c, @k, @o, @r, @x)" + OnConflict + """ RETURNING "EventId" """, ct);
        RawSql.AddArray(cmd, "@e", NpgsqlDbType.Text, rows.Select(r => r.EventId).ToArray());
        RawSql.AddArray(cmd, "@p", NpgsqlDbType.Integer, rows.Select(r => r.PersonId).ToArray());
        RawSql.AddArray(cmd, "@t", NpgsqlDbType.Text, rows.Select(r => r.Type.ToString()).ToArray());
        RawSql.AddArray(cmd, "@c", NpgsqlDbType.Text, rows.Select(r => r.Channel.ToString()).ToArray());
        RawSql.AddArray(cmd, "@k", NpgsqlDbType.Integer, rows.Select(r => r.CampaignId).ToArray());
        RawSql.AddArray(cmd, "@o", NpgsqlDbType.TimestampTz, rows.Select(r => r.OccurredAt).ToArray());
        RawSql.AddArray(cmd, "@r", NpgsqlDbType.TimestampTz, rows.Select(r => r.ReceivedAt).ToArray());
        RawSql.AddArray(cmd, "@x", NpgsqlDbType.Text, rows.Select(r => r.Properties).ToArray());
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) stored.Add(reader.GetString(0));
        // A batch may repeat an event id; only its first row counts as the one stored.
        var inserted = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++) inserted[i] = stored.Remove(batch[i].EventId);
        return inserted;
    }

    /// <summary>One prepared single-row statement, reused. Multi-row VALUES (20 and 100 rows a statement) measured no
    /// faster here: binding cost is per value either way, and SQLite's per-statement overhead is already small.</summary>
    private static async Task<bool[]> SqliteAsync(TandemDb db, IReadOnlyList<TouchRow> rows, CancellationToken ct)
    {
        await using var cmd = await RawSql.CommandAsync(db, Columns + "VALUES (@e, @p, @t, @c, @k, @o, @r, @x)" + OnConflict, ct);
        var ps = new[]
        {
            RawSql.Add(cmd, "@e", DbType.String), RawSql.Add(cmd, "@p", DbType.Int32), RawSql.Add(cmd, "@t", DbType.String),
            RawSql.Add(cmd, "@c", DbType.String), RawSql.Add(cmd, "@k", DbType.Int32), RawSql.Add(cmd, "@o", DbType.String),
            RawSql.Add(cmd, "@r", DbType.String), RawSql.Add(cmd, "@x", DbType.String),
        };
        await cmd.PrepareAsync(ct);
        var inserted = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            ps[0].Value = r.EventId;
            ps[1].Value = r.PersonId;
            ps[2].Value = r.Type.ToString();
            ps[3].Value = r.Channel.ToString();
            ps[4].Value = (object?)r.CampaignId ?? DBNull.Value;
            ps[5].Value = RawSql.SqliteTime(r.OccurredAt);
            ps[6].Value = RawSql.SqliteTime(r.ReceivedAt);
            ps[7].Value = (object?)r.Properties ?? DBNull.Value;
            inserted[i] = await cmd.ExecuteNonQueryAsync(ct) > 0;
        }
        return inserted;
    }
}
