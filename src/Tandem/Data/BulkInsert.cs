using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Tandem.Data;

/// <summary>
/// Inserts many new entities in the caller's transaction, for the bulk import path (decision 0096). Columns and value
/// converters come from EF's model, as in <see cref="RawInsert"/>. SQLite: one prepared statement reused per row (what
/// <see cref="RawInsert"/> does). PostgreSQL: binary <c>COPY</c> through Npgsql; when the caller needs the generated keys,
/// they are taken from the identity's sequence first (one round trip) and copied in with the rows, so no row is read back.
/// Nothing is stamped, audited or fed here: the caller sets Version/UpdatedAt and records the change in
/// <see cref="TandemDb.Changes"/>. A key another transaction took meanwhile makes the whole COPY fail; the import reports it.
/// </summary>
internal static class BulkInsert
{
    public static async Task AddAsync<T>(TandemDb db, IReadOnlyList<T> rows, bool needIds, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = type.GetTableName()!;
        // A single generated key is left to the database (SQLite) or taken from its sequence (PostgreSQL, needIds); a composite
        // key (custom properties) is data like any column.
        var keys = type.FindPrimaryKey()!.Properties;
        var key = keys.Count == 1 && keys[0].ValueGenerated == ValueGenerated.OnAdd ? keys[0] : null;
        if (needIds && key is null) throw new InvalidOperationException($"{typeof(T).Name} has no generated key to hand back.");
        if (needIds && db.IsSqlite && db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Bulk inserts that hand back ids run in the caller's transaction (the ids are numbered on under its write lock).");
        var columns = type.GetProperties().Where(p => p.PropertyInfo is not null && (p != key || (needIds && !db.IsSqlite))).ToArray();
        var getters = columns.Select(c => (Get: c.GetGetter(), Converter: c.GetTypeMapping().Converter)).ToArray();
        object? Value(int c, T row)
        {
            var v = getters[c].Get.GetClrValue(row);
            return v is not null && getters[c].Converter is { } converter ? converter.ConvertToProvider(v) : v;
        }
        var names = string.Join(", ", columns.Select(c => $"\"{c.GetColumnName()}\""));

        if (db.IsSqlite)
        {
            // The first row's id comes back from the insert; the write lock is then this transaction's until it ends (SQLite
            // has one writer), so the rest are numbered on from it, which saves reading an id back per row.
            var keyColumn = needIds ? [key!] : Array.Empty<IProperty>();
            var sqlFor = (IProperty[] extra) => $"INSERT INTO {table} ({string.Join(", ", extra.Concat(columns).Select(c => $"\"{c.GetColumnName()}\""))}) "
                + $"VALUES ({string.Join(", ", extra.Concat(columns).Select((_, i) => $"@p{i}"))})";
            var start = 0;
            if (needIds)
            {
                await using var first = await RawSql.CommandAsync(db, sqlFor([]) + $" RETURNING \"{key!.GetColumnName()}\"", ct);
                for (var i = 0; i < columns.Length; i++) first.Parameters.Add(new SqliteParameter($"@p{i}", Sqlite(Value(i, rows[0]))));
                key!.PropertyInfo!.SetValue(rows[0], Convert.ChangeType((await first.ExecuteScalarAsync(ct))!, key.ClrType));
                start = 1;
            }
            if (start == rows.Count) return;
            var firstId = needIds ? Convert.ToInt64(key!.PropertyInfo!.GetValue(rows[0]), CultureInfo.InvariantCulture) : 0;
            await using var cmd = await RawSql.CommandAsync(db, sqlFor(keyColumn), ct);
            var ps = keyColumn.Concat(columns).Select((_, i) => { var p = cmd.CreateParameter(); p.ParameterName = $"@p{i}"; cmd.Parameters.Add(p); return p; }).ToArray();
            cmd.Prepare();
            var offset = keyColumn.Length;
            for (var r = start; r < rows.Count; r++)
            {
                var row = rows[r];
                if (needIds)
                {
                    ps[0].Value = firstId + r;
                    key!.PropertyInfo!.SetValue(row, Convert.ChangeType(firstId + r, key.ClrType, CultureInfo.InvariantCulture));
                }
                for (var i = 0; i < columns.Length; i++) ps[offset + i].Value = Sqlite(Value(i, row));
                // Microsoft.Data.Sqlite's async calls run synchronously anyway; the sync call saves a task per row.
                cmd.ExecuteNonQuery();
            }
            return;
        }

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        if (needIds)
        {
            // Ids from the identity's own sequence, so later inserts by the API never collide with them.
            await using var cmd = await RawSql.CommandAsync(db,
                $"""SELECT nextval(pg_get_serial_sequence('{table}', '{key!.GetColumnName()}')) FROM generate_series(1, @n)""", ct);
            cmd.Parameters.Add(new NpgsqlParameter("@n", rows.Count));
            var i = 0;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) key!.PropertyInfo!.SetValue(rows[i++], Convert.ChangeType(reader.GetInt64(0), key.ClrType));
        }
        var types = columns.Select(StoreType).ToArray();
        await using var copy = await conn.BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            for (var c = 0; c < columns.Length; c++)
            {
                if (Value(c, row) is { } v) await copy.WriteAsync(v, types[c], ct);
                else await copy.WriteNullAsync(ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static object Sqlite(object? v) => v switch { null => DBNull.Value, DateTime d => RawSql.SqliteTime(d), _ => v };

    /// <summary>The column's PostgreSQL type without its length ("character varying(200)" → "character varying").</summary>
    private static string StoreType(IProperty p)
    {
        var t = p.GetColumnType();
        var paren = t.IndexOf('(');
        return paren < 0 ? t : t[..paren];
    }
}
