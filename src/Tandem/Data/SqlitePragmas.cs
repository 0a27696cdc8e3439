using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tandem.Data;

/// <summary>
/// synchronous=NORMAL is SQLite's recommended setting in WAL mode: a commit no longer waits for an fsync of the
/// log (only checkpoints do), and the database cannot be corrupted by a crash; a power cut may lose the last
/// commits. It is a per-connection setting, so it is applied on every open (docs/decisions/0002-storage.md).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=NORMAL;";
        cmd.ExecuteNonQuery();
    }
}
