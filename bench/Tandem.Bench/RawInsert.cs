using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Bench;

/// <summary>
/// The floor to compare against: the same people and touch rows into a migrated tandem.db, one transaction,
/// one prepared statement per table, Microsoft.Data.Sqlite with nothing in between.
/// </summary>
internal static class RawInsert
{
    public static async Task<TimeSpan> RunAsync(BenchData data, string dir)
    {
        var storage = Storage.Sqlite(dir);
        await using (var db = storage.Open()) await Storage.MigrateAsync(db);
        await using var conn = new SqliteConnection(storage.ConnectionString);
        await conn.OpenAsync();
        using (var fk = conn.CreateCommand()) { fk.CommandText = "PRAGMA foreign_keys=ON;"; fk.ExecuteNonQuery(); }
        var clock = Stopwatch.StartNew();
        using var tx = conn.BeginTransaction();
        var now = RawSql.SqliteTime(BenchData.Start);
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO people ("Email", "Stage", "StageChangedAt", "CreatedAt", "UpdatedAt", "Version") VALUES (@e, 'Inquiry', @t, @t, @t, 1)
                """;
            var e = cmd.Parameters.Add("@e", SqliteType.Text);
            cmd.Parameters.AddWithValue("@t", now);
            cmd.Prepare();
            for (var p = 0; p < data.People; p++)
            {
                e.Value = data.Email(p);
                cmd.ExecuteNonQuery();
            }
        }
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                INSERT INTO touches ("EventId", "PersonId", "Type", "Channel", "CampaignId", "OccurredAt", "ReceivedAt", "Properties")
                VALUES (@e, @p, @t, @c, NULL, @o, @r, @x)
                """;
            var ps = new[] { "@e", "@p", "@t", "@c", "@o", "@r", "@x" }.Select(n => cmd.Parameters.Add(n, SqliteType.Text)).ToArray();
            cmd.Prepare();
            for (var i = 0; i < data.Touches; i++)
            {
                ps[0].Value = data.EventId(i);
                ps[1].Value = data.PersonOf(i) + 1;
                ps[2].Value = data.Type(i).ToString();
                ps[3].Value = data.Channel(i).ToString();
                ps[4].Value = RawSql.SqliteTime(data.OccurredAt(i));
                ps[5].Value = now;
                ps[6].Value = (object?)data.Properties(i) ?? DBNull.Value;
                cmd.ExecuteNonQuery();
            }
        }
        tx.Commit();
        return clock.Elapsed;
    }
}
