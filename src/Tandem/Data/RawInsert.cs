using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Tandem.Data;

/// <summary>
/// Inserts entities with plain SQL built from EF's own model (table, columns, value converters), for write paths where
/// change tracking costs more than the write (decision 0003). The generated key comes back into each entity. Nothing is
/// stamped or audited here: the caller sets what <see cref="TandemDb.SaveChangesAsync(bool, CancellationToken)"/> would,
/// and records the change in <see cref="TandemDb.Changes"/>.
/// </summary>
internal static class RawInsert
{
    public static async Task AddAsync<T>(TandemDb db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var key = type.FindPrimaryKey()!.Properties.Single();
        var columns = type.GetProperties().Where(p => p != key && p.PropertyInfo is not null).ToArray();
        var sql = $"""
            INSERT INTO {type.GetTableName()} ({string.Join(", ", columns.Select(c => $"\"{c.GetColumnName()}\""))})
            VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) RETURNING "{key.GetColumnName()}"
            """;
        object Value(IProperty p, T row)
        {
            var v = p.PropertyInfo!.GetValue(row);
            if (v is null) return DBNull.Value;
            if (p.GetTypeMapping().Converter is { } converter) v = converter.ConvertToProvider(v)!;
            return v is DateTime d ? RawSql.Time(db, d) : v;
        }
        void SetKey(T row, object id) => key.PropertyInfo!.SetValue(row, Convert.ChangeType(id, key.ClrType));

        if (db.IsSqlite)
        {
            await using var cmd = await RawSql.CommandAsync(db, sql, ct);
            var ps = columns.Select((_, i) => { var p = cmd.CreateParameter(); p.ParameterName = $"@p{i}"; cmd.Parameters.Add(p); return p; }).ToArray();
            await cmd.PrepareAsync(ct);
            foreach (var row in rows)
            {
                for (var i = 0; i < columns.Length; i++) ps[i].Value = Value(columns[i], row);
                SetKey(row, (await cmd.ExecuteScalarAsync(ct))!);
            }
            return;
        }
        if (db.Database.GetDbConnection().State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var row in rows)
        {
            var c = new NpgsqlBatchCommand(sql);
            for (var i = 0; i < columns.Length; i++) c.Parameters.Add(new NpgsqlParameter($"@p{i}", Value(columns[i], row)));
            batch.BatchCommands.Add(c);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var row in rows)
        {
            await reader.ReadAsync(ct);
            SetKey(row, reader.GetValue(0));
            await reader.NextResultAsync(ct);
        }
    }
}
