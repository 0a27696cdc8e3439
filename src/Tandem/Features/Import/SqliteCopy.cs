using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Import;

/// <summary>
/// A throwaway copy of a SQLite database (<c>tandem.db.check-&lt;guid&gt;</c> beside it), made with SQLite's online backup,
/// for checking an import without holding the real database's write lock (decision 0050). The copy is deleted afterwards;
/// a copy left by a killed process is safe to delete.
/// </summary>
internal static class SqliteCopy
{
    /// <summary>The database file, or null for an in-memory database (which has nothing to copy beside).</summary>
    public static string? FileOf(TandemDb db)
    {
        var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return string.IsNullOrEmpty(source.DataSource) || source.DataSource == ":memory:" || source.Mode == SqliteOpenMode.Memory
            ? null : Path.GetFullPath(source.DataSource);
    }

    public static async Task<T> RunAsync<T>(TandemDb db, Func<TandemDb, Task<T>> work, CancellationToken ct)
    {
        var file = FileOf(db) ?? throw new InvalidOperationException("An in-memory SQLite database has no file to copy.");
        var copyFile = $"{file}.check-{Guid.NewGuid():N}";
        var copyCs = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { DataSource = copyFile, Pooling = false }.ToString();
        try
        {
            // The backup reads a consistent snapshot; in WAL mode writers go on meanwhile.
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var target = new SqliteConnection(copyCs);
                await target.OpenAsync(ct);
                ((SqliteConnection)db.Database.GetDbConnection()).BackupDatabase(target);
            }
            finally { await db.Database.CloseConnectionAsync(); }

            await using var copy = new Storage(DbProvider.Sqlite, copyCs).Open(db.Clock);
            return await work(copy);
        }
        finally
        {
            foreach (var f in new[] { copyFile, copyFile + "-wal", copyFile + "-shm", copyFile + "-journal" })
                try { File.Delete(f); } catch (IOException) { /* left behind: harmless, and safe to delete by hand */ }
        }
    }
}
