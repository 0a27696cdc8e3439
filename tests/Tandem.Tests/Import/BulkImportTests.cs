using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>
/// The bulk path (decision 0096) keeps the importers' guarantee on large files: one bad row anywhere imports nothing and is named
/// at its line, --skip-invalid writes everything else, and a `tandem import` process killed with SIGKILL part way through leaves
/// nothing behind; running the file again then completes, and once more adds no duplicate.
/// </summary>
public class BulkImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const int Rows = 10_000;

    private static string People(int rows, string? lastEmail = null)
    {
        var csv = new StringBuilder("externalId,email,firstName,sourceChannel,createdAt\n");
        for (var i = 0; i < rows; i++)
            csv.Append($"P{i:D6},{(i == rows - 1 && lastEmail is not null ? lastEmail : $"p{i}@c{i % 50}.example")},First{i},Organic,2026-01-0{1 + i % 9}\n");
        return csv.ToString();
    }

    private static string Touches(int rows, string lastType)
    {
        var csv = new StringBuilder("eventId,personExternalId,type,channel,occurredAt\n");
        for (var i = 0; i < rows; i++)
            csv.Append($"E{i:D6},P{i % 500:D6},{(i == rows - 1 ? lastType : "WebVisit")},Email,2026-02-0{1 + i % 9}T10:00:00Z\n");
        return csv.ToString();
    }

    private static string Deals(int rows, string lastCloseDate)
    {
        var csv = new StringBuilder("externalId,name,amount,currency,salesStage,outcome,createdAt,closedAt\n");
        for (var i = 0; i < rows; i++)
            csv.Append($"O{i:D6},Deal {i},{i}.50,EUR,Closed Won,Won,2026-01-01,{(i == rows - 1 ? lastCloseDate : "2026-02-01")}\n");
        return csv.ToString();
    }

    private static async Task<ImportResult> ImportAsync(ImportHarness h, ImportEntity entity, string path, bool skipInvalid = false)
    {
        await using var db = h.Open();
        // Every file goes the one-transaction way on SQLite too, as a file over the threshold would.
        return await Importer.RunAsync(db, new ImportRequest(entity, path, new ImportMap(), SkipInvalid: skipInvalid, SqliteOneTransactionBytes: 0), ct: Ct);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task One_bad_row_at_the_end_imports_nothing_and_is_named_at_its_line_and_skip_invalid_writes_the_rest(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var last = Rows + 1; // line 1 is the header

        var people = h.Write("people.csv", People(Rows, lastEmail: "not-an-email"));
        var refused = await ImportAsync(h, ImportEntity.People, people);
        Assert.False(refused.Committed);
        var error = Assert.Single(refused.Errors);
        Assert.Equal(("people.csv", last, 2), (error.File, error.Line, error.Column));
        Assert.Contains("'not-an-email' is not a valid email address", error.Message);
        Assert.Equal((0, 0, 0), await h.QueryAsync(async db => (await db.People.CountAsync(Ct), await db.StageChanges.CountAsync(Ct),
            await db.CustomProperties.CountAsync(Ct))));

        var skipped = await ImportAsync(h, ImportEntity.People, people, skipInvalid: true);
        Assert.True(skipped.Committed);
        Assert.Equal((Rows - 1, 1), (skipped.Created, skipped.InvalidRows));
        Assert.Equal((Rows - 1, Rows - 1), await h.QueryAsync(async db => (await db.People.CountAsync(Ct), await db.StageChanges.CountAsync(Ct))));
        Assert.Equal(Rows - 1, await h.QueryAsync(db => db.Activity.CountAsync(a => a.Kind == "person.created", Ct)));

        var touches = h.Write("touches.csv", Touches(Rows, lastType: "Carrier pigeon"));
        var badTouch = Assert.Single((await ImportAsync(h, ImportEntity.Touches, touches)).Errors);
        Assert.Equal((last, 3), (badTouch.Line, badTouch.Column));
        Assert.Equal(0, await h.QueryAsync(db => db.Touches.CountAsync(Ct)));
        Assert.Equal(Rows - 1, (await ImportAsync(h, ImportEntity.Touches, touches, skipInvalid: true)).Created);
        Assert.Equal(Rows - 1, await h.QueryAsync(db => db.Touches.CountAsync(Ct)));

        var deals = h.Write("deals.csv", Deals(Rows, lastCloseDate: ""));
        var badDeal = Assert.Single((await ImportAsync(h, ImportEntity.Opportunities, deals)).Errors);
        Assert.Equal((last, 8), (badDeal.Line, badDeal.Column));
        Assert.Contains("a Won opportunity needs a close date", badDeal.Message);
        Assert.Equal((0, 0), await h.QueryAsync(async db => (await db.Opportunities.CountAsync(Ct), await db.OpportunityStageChanges.CountAsync(Ct))));
        Assert.Equal(Rows - 1, (await ImportAsync(h, ImportEntity.Opportunities, deals, skipInvalid: true)).Created);
        var stored = await h.QueryAsync(db => db.Opportunities.AsNoTracking().OrderBy(o => o.Id).Take(2).ToListAsync(Ct));
        Assert.Equal(("O000000", 50, "EUR", 1), (stored[0].ExternalId, stored[0].AmountMinor, stored[0].Currency, stored[0].Version));
        Assert.Equal(Rows - 1, await h.QueryAsync(db => db.OpportunityStageChanges.CountAsync(Ct)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_file_imported_twice_in_bulk_updates_rather_than_duplicates(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var people = h.Write("people.csv", People(2_000));
        Assert.Equal(2_000, (await ImportAsync(h, ImportEntity.People, people)).Created);
        var again = await ImportAsync(h, ImportEntity.People, people);
        Assert.Equal((0, 2_000), (again.Created, again.Unchanged));
        Assert.Equal(2_000, await h.QueryAsync(db => db.People.CountAsync(Ct)));
        // The bulk-inserted rows read back like EF's own: the stage, its history row, the channel, the dates.
        var p = await h.QueryAsync(db => db.People.AsNoTracking().SingleAsync(x => x.ExternalId == "P000010", Ct));
        Assert.Equal(("p10@c10.example", "First10", LifecycleStage.Inquiry, new DateTime(2026, 1, 2), 1),
            (p.Email, p.FirstName, p.Stage, p.CreatedAt, p.Version));
        var change = await h.QueryAsync(db => db.StageChanges.AsNoTracking().SingleAsync(c => c.PersonId == p.Id, Ct));
        Assert.Equal((null, LifecycleStage.Inquiry, "import", new DateTime(2026, 1, 2)), (change.From, change.To, change.Actor, change.At));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_tandem_import_killed_mid_file_leaves_nothing_and_the_rerun_completes_without_duplicates(string provider)
    {
        const int rows = 40_000; // about 2.4 MB: over the one-transaction threshold on SQLite, and a few seconds of work
        await using var h = await ImportHarness.CreateAsync(provider);
        var file = h.Write("people.csv", People(rows));
        Assert.True(new FileInfo(file).Length > Importer.SqliteOneTransactionBytes);
        string[] where = h.Db.Storage.Provider == DbProvider.Sqlite
            ? ["--data", Path.GetDirectoryName(new SqliteConnectionStringBuilder(h.Db.Storage.ConnectionString).DataSource)!]
            : ["--postgres", h.Db.Storage.ConnectionString];

        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "tandem"), ["import", "people", file, .. where])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        var walBefore = WalLength(h.Db);
        using (var import = Process.Start(info)!)
        {
            import.OutputDataReceived += (_, _) => { };
            import.ErrorDataReceived += (_, _) => { };
            import.BeginOutputReadLine();
            import.BeginErrorReadLine();
            // Killed once the import has written part of the file in its transaction, not before, not after.
            for (var waited = Stopwatch.StartNew(); !await WritingAsync(h.Db, walBefore); await Task.Delay(10, Ct))
            {
                Assert.False(import.HasExited, $"tandem import ended (exit code {(import.HasExited ? import.ExitCode : 0)}) before it could be killed");
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "tandem import did not start writing in 2 minutes");
            }
            import.Kill(); // SIGKILL: no cleanup code runs
            await import.WaitForExitAsync(Ct);
        }

        // Nothing half-written: no person, no stage row, no activity row, no summary.
        Assert.Equal((0, 0, 0), await h.QueryAsync(async db => (await db.People.CountAsync(Ct), await db.StageChanges.CountAsync(Ct), await db.Activity.CountAsync(Ct))));

        // Run again: everything goes in, once; a third run finds every person and adds none.
        var rerun = await ImportAsync(h, ImportEntity.People, file);
        Assert.True(rerun.Committed);
        Assert.Equal(rows, rerun.Created);
        var third = await ImportAsync(h, ImportEntity.People, file);
        Assert.Equal((0, rows), (third.Created, third.Unchanged));
        Assert.Equal((rows, rows, rows), await h.QueryAsync(async db => (await db.People.CountAsync(Ct),
            await db.People.Select(p => p.ExternalId).Distinct().CountAsync(Ct), await db.StageChanges.CountAsync(Ct))));
    }

    private static long WalLength(TestDb store)
    {
        if (store.Storage.Provider != DbProvider.Sqlite) return 0;
        var wal = new FileInfo(new SqliteConnectionStringBuilder(store.Storage.ConnectionString).DataSource + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    /// <summary>Whether an import transaction has written rows it has not committed: SQLite's write-ahead log is growing (the
    /// page cache spills into it), or a PostgreSQL session of the database holds a transaction id (it has written).</summary>
    private static async Task<bool> WritingAsync(TestDb store, long walBefore)
    {
        if (store.Storage.Provider == DbProvider.Sqlite) return WalLength(store) > walBefore + 512 * 1024;
        await using var conn = new NpgsqlConnection(store.Storage.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
            + "AND query NOT ILIKE '%EFMigrations%'", conn);
        return (long)(await cmd.ExecuteScalarAsync(Ct))! > 0;
    }
}
