using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Tandem.Data;

namespace Tandem.Features.Touches;

internal readonly record struct TouchRow(string EventId, int PersonId, TouchType Type, Channel Channel, int? CampaignId,
    DateTime OccurredAt, DateTime ReceivedAt, string? Properties);

/// <summary>
/// Inserts touches with one prepared statement and ON CONFLICT DO NOTHING on the event id: the database,
/// not a prior lookup, decides what is a duplicate, so a resent batch adds nothing even under races.
/// This bypasses EF's change tracker on purpose: touches are append-only and the hottest write path
/// (docs/decisions/0003-touch-ingestion-write-path.md).
/// </summary>
internal static class TouchWriter
{
    private const string Sql = """
        INSERT INTO touches ("EventId", "PersonId", "Type", "Channel", "CampaignId", "OccurredAt", "ReceivedAt", "Properties")
        VALUES (@e, @p, @t, @c, @k, @o, @r, @x) ON CONFLICT ("EventId") DO NOTHING
        """;

    public static async Task<int> InsertAsync(TandemDb db, IReadOnlyList<TouchRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return 0;
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = Sql;
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        // Types are set up front so PostgreSQL can prepare the statement before the first value is known.
        var sqlite = db.IsSqlite;
        var time = sqlite ? System.Data.DbType.String : System.Data.DbType.DateTime;
        var ps = new[]
        {
            Add(cmd, "@e", System.Data.DbType.String), Add(cmd, "@p", System.Data.DbType.Int32), Add(cmd, "@t", System.Data.DbType.String),
            Add(cmd, "@c", System.Data.DbType.String), Add(cmd, "@k", System.Data.DbType.Int32), Add(cmd, "@o", time),
            Add(cmd, "@r", time), Add(cmd, "@x", System.Data.DbType.String),
        };
        await cmd.PrepareAsync(ct);
        var inserted = 0;
        foreach (var r in rows)
        {
            ps[0].Value = r.EventId;
            ps[1].Value = r.PersonId;
            ps[2].Value = r.Type.ToString();
            ps[3].Value = r.Channel.ToString();
            ps[4].Value = (object?)r.CampaignId ?? DBNull.Value;
            ps[5].Value = sqlite ? SqliteTime(r.OccurredAt) : r.OccurredAt;
            ps[6].Value = sqlite ? SqliteTime(r.ReceivedAt) : r.ReceivedAt;
            ps[7].Value = (object?)r.Properties ?? DBNull.Value;
            inserted += await cmd.ExecuteNonQueryAsync(ct);
        }
        return inserted;
    }

    private static DbParameter Add(DbCommand cmd, string name, System.Data.DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>The text form EF Core's SQLite provider writes, so EF reads and compares these rows like its own.</summary>
    internal static string SqliteTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
