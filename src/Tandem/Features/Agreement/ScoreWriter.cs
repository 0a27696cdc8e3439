using System.Data;
using NpgsqlTypes;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Features.Agreement;

/// <summary>Upserts score rows on the ingestion path: one per person touched in a batch, so raw SQL as for touches.</summary>
public static class ScoreWriter
{
    private const string Set = """
         ON CONFLICT ("PersonId") DO UPDATE SET "DefinitionId" = excluded."DefinitionId", "Score" = excluded."Score",
         "ScoredAt" = excluded."ScoredAt", "Caps" = excluded."Caps", "FitPoints" = excluded."FitPoints", "Grade" = excluded."Grade"
        """;
    private const string Columns = """INSERT INTO lead_scores ("PersonId", "DefinitionId", "Score", "ScoredAt", "Caps", "FitPoints", "Grade") """;

    public static async Task UpsertAsync(TandemDb db, IReadOnlyList<LeadScore> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        // One order for every writer: two batches scoring the same people then lock their rows in the same order and cannot
        // deadlock each other on PostgreSQL.
        rows = [.. rows.OrderBy(r => r.PersonId)];
        if (db.IsSqlite)
        {
            await RawSql.InsertEachAsync(db, Columns + "VALUES (@p, @d, @s, @t, @c, @f, @g)" + Set,
                [("@p", DbType.Int32), ("@d", DbType.Int32), ("@s", DbType.Double), ("@t", DbType.String), ("@c", DbType.String), ("@f", DbType.Int32), ("@g", DbType.String)],
                [.. rows.Select(r => new object?[] { r.PersonId, r.DefinitionId, r.Score, RawSql.SqliteTime(r.ScoredAt), r.Caps, r.FitPoints, r.Grade.ToString() })], ct);
            return;
        }
        await using var cmd = await RawSql.CommandAsync(db, Columns + "SELECT * FROM unnest(@p, @d, @s, @t, @c, @f, @g)" + Set, ct);
        RawSql.AddArray(cmd, "@p", NpgsqlDbType.Integer, rows.Select(r => r.PersonId).ToArray());
        RawSql.AddArray(cmd, "@d", NpgsqlDbType.Integer, rows.Select(r => r.DefinitionId).ToArray());
        RawSql.AddArray(cmd, "@s", NpgsqlDbType.Double, rows.Select(r => r.Score).ToArray());
        RawSql.AddArray(cmd, "@t", NpgsqlDbType.TimestampTz, rows.Select(r => r.ScoredAt).ToArray());
        RawSql.AddArray(cmd, "@c", NpgsqlDbType.Text, rows.Select(r => r.Caps).ToArray());
        RawSql.AddArray(cmd, "@f", NpgsqlDbType.Integer, rows.Select(r => r.FitPoints).ToArray());
        RawSql.AddArray(cmd, "@g", NpgsqlDbType.Text, rows.Select(r => r.Grade.ToString()).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
