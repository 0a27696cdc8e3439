using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Tandem.Data;

namespace Tandem.Data;

/// <summary>Small helpers for the raw write path of ingestion: commands on the context's connection and transaction,
/// and values in the form each provider stores them.</summary>
internal static class RawSql
{
    public static async Task<DbCommand> CommandAsync(TandemDb db, string sql, CancellationToken ct)
    {
        if (db.Database.GetDbConnection().State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return cmd;
    }

    public static DbParameter Add(DbCommand cmd, string name, DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>A PostgreSQL array parameter, for one statement over a whole batch (unnest / ANY).</summary>
    public static void AddArray<T>(DbCommand cmd, string name, NpgsqlDbType element, T[] values) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | element) { Value = values });

    /// <summary>The text form EF Core's SQLite provider writes, so EF reads and compares these rows like its own.</summary>
    public static string SqliteTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public static object Time(TandemDb db, DateTime utc) => db.IsSqlite ? SqliteTime(utc) : utc;

    public static DbType TimeType(TandemDb db) => db.IsSqlite ? DbType.String : DbType.DateTime;

    /// <summary>
    /// Ids by key (lowest id when a key repeats). SQLite: one prepared point query per key, which uses the index
    /// every time (an IN over json_each was several times slower). PostgreSQL: one query with a text array.
    /// </summary>
    public static async Task<Dictionary<string, int>> LookupAsync(TandemDb db, string table, string key, IReadOnlyCollection<string> values,
        CancellationToken ct)
    {
        var found = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
        if (values.Count == 0) return found;
        if (db.IsSqlite)
        {
            await using var one = await CommandAsync(db, $"""SELECT "Id" FROM {table} WHERE "{key}" = @v ORDER BY "Id" LIMIT 1""", ct);
            var v = Add(one, "@v", DbType.String);
            await one.PrepareAsync(ct);
            foreach (var value in values)
            {
                v.Value = value;
                if (await one.ExecuteScalarAsync(ct) is long id) found[value] = (int)id;
            }
            return found;
        }
        await using var cmd = await CommandAsync(db, $"""SELECT "{key}", "Id" FROM {table} WHERE "{key}" = ANY(@v) ORDER BY "Id" """, ct);
        AddArray(cmd, "@v", NpgsqlDbType.Text, values.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.TryAdd(reader.GetString(0), reader.GetInt32(1));
        return found;
    }

    /// <summary>
    /// Reads the rows of <paramref name="select"/> whose <paramref name="idColumn"/> is one of <paramref name="ids"/>, in
    /// <paramref name="order"/> within each id. SQLite: one prepared point query per id, which uses the index every time
    /// (an EF <c>Contains</c> over 10,000 ids took about 2 s). PostgreSQL: one query with an id array.
    /// </summary>
    public static async Task ForIdsAsync(TandemDb db, string select, string idColumn, IReadOnlyCollection<int> ids, Action<DbDataReader> read,
        CancellationToken ct, string order = "")
    {
        if (ids.Count == 0) return;
        if (db.IsSqlite)
        {
            await using var one = await CommandAsync(db, $"{select} WHERE {idColumn} = @id {order}", ct);
            var id = Add(one, "@id", DbType.Int32);
            await one.PrepareAsync(ct);
            foreach (var value in ids)
            {
                id.Value = value;
                await using var reader = await one.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) read(reader);
            }
            return;
        }
        await using var cmd = await CommandAsync(db, $"{select} WHERE {idColumn} = ANY(@ids) {order}", ct);
        AddArray(cmd, "@ids", NpgsqlDbType.Integer, ids.ToArray());
        await using var all = await cmd.ExecuteReaderAsync(ct);
        while (await all.ReadAsync(ct)) read(all);
    }

    /// <summary>
    /// Runs one INSERT per row and says which rows went in (ON CONFLICT DO NOTHING answers 0 for the others).
    /// SQLite: one prepared statement reused. PostgreSQL: one NpgsqlBatch, so the whole set is one round trip.
    /// </summary>
    public static async Task<bool[]> InsertEachAsync(TandemDb db, string sql, (string Name, DbType Type)[] parameters,
        IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var inserted = new bool[rows.Count];
        if (rows.Count == 0) return inserted;
        if (db.IsSqlite)
        {
            await using var cmd = await CommandAsync(db, sql, ct);
            var ps = parameters.Select(p => Add(cmd, p.Name, p.Type)).ToArray();
            await cmd.PrepareAsync(ct);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var i = 0; i < ps.Length; i++) ps[i].Value = rows[r][i] ?? DBNull.Value;
                inserted[r] = await cmd.ExecuteNonQueryAsync(ct) > 0;
            }
            return inserted;
        }
        if (db.Database.GetDbConnection().State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var row in rows)
        {
            var c = new NpgsqlBatchCommand(sql);
            for (var i = 0; i < parameters.Length; i++)
                c.Parameters.Add(new NpgsqlParameter(parameters[i].Name, parameters[i].Type) { Value = row[i] ?? DBNull.Value });
            batch.BatchCommands.Add(c);
        }
        await batch.ExecuteNonQueryAsync(ct);
        for (var r = 0; r < rows.Count; r++) inserted[r] = batch.BatchCommands[r].RecordsAffected > 0;
        return inserted;
    }

    /// <summary>The parameterized INSERT for these columns, in the shape <see cref="InsertEachAsync"/> takes.</summary>
    public static (string Sql, (string Name, DbType Type)[] Parameters) Insert(string table, params (string Column, DbType Type)[] columns) =>
        ($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})",
         [.. columns.Select((c, i) => ($"@p{i}", c.Type))]);
}
