using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Features.Import;

public enum ImportEntity { People, Accounts, Opportunities, Touches, Campaigns, Users }

/// <param name="Route">Hand people who reach MQL in this import to sales (routing and the SLA clock), as any MQL is. Off
/// (<c>--no-routing</c>) for loading history, whose MQLs were dealt with long ago in the old CRM.</param>
/// <param name="Currency">The company currency (Company:Currency), for rows that name none (decision 0056).</param>
public sealed record ImportRequest(ImportEntity Entity, string FilePath, ImportMap Map, bool DryRun = false, bool SkipInvalid = false, int BatchSize = 1000,
    bool Route = true, string Currency = "USD", long SqliteOneTransactionBytes = Importer.SqliteOneTransactionBytes);

/// <summary>An entity's part of an import: which fields it reads and how it writes one batch of rows.</summary>
internal abstract class EntityImporter(ImportContext ctx)
{
    protected ImportContext Ctx { get; } = ctx;
    protected TandemDb Db => Ctx.Db;
    public abstract IReadOnlyList<FieldDef> Fields { get; }

    /// <summary>The entity the rows become: a field named like one of its properties is held to that property's length.</summary>
    public abstract Type Stored { get; }

    /// <summary>Validates every row and writes the valid ones; rows with errors are left out.</summary>
    public abstract Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct);
}

/// <summary>
/// Runs one CSV import, all-or-nothing: without --skip-invalid any bad row means nothing is written, and --dry-run never
/// writes. Rows are read and saved in batches with the change tracker cleared between them, so memory stays flat.
/// On PostgreSQL the whole file is one transaction (MVCC: API writers are not blocked). On SQLite, whose one writer at a
/// time would block every API write for the whole file, the file is first checked on a copy of the database and then
/// written in short transactions of <see cref="SqliteChunkRows"/> rows (decision 0050).
/// </summary>
public static class Importer
{
    /// <summary>
    /// On SQLite, a file larger than this is imported in one transaction on the real database, like on PostgreSQL, instead of
    /// checked on a copy and written in pausing chunks (decision 0096): at bulk speed the write lock is held for seconds, while
    /// 200 ms pauses per 500 rows would turn a million rows into minutes, and only one transaction keeps a killed import from
    /// leaving part of the file behind.
    /// </summary>
    public const long SqliteOneTransactionBytes = 1 << 20;

    /// <summary>Rows per transaction when SQLite writes a checked file.</summary>
    public const int SqliteChunkRows = 500;

    /// <summary>The pause between two chunks, in which waiting API writers (busy_timeout) take the write lock.</summary>
    public static readonly TimeSpan SqlitePause = TimeSpan.FromMilliseconds(200);

    public static async Task<ImportResult> RunAsync(TandemDb db, ImportRequest req, Action<double>? progress = null, CancellationToken ct = default)
    {
        if (!db.IsSqlite || SqliteCopy.FileOf(db) is null || Large(req)) return await RunOnceAsync(db, req, Mode.OneTransaction, progress, ct);

        // 1. The check: the whole import on a copy of the database, rolled back, so every error is reported with its line
        //    while the real database is not locked for a moment longer than the copy takes.
        var check = await SqliteCopy.RunAsync(db, copy => RunOnceAsync(copy, req, Mode.Check, f => progress?.Invoke(f / 2), ct), ct);
        if (req.DryRun || check.Fatal || (check.HasErrors && !req.SkipInvalid)) return check;

        // 2. The write: the same rows into the real database, a chunk per transaction with a pause between them. What a
        //    concurrent writer changed in between can still refuse a row; then the import stops there (see Partial).
        return await RunOnceAsync(db, req, Mode.Chunks, f => progress?.Invoke(0.5 + f / 2), ct);
    }

    private static bool Large(ImportRequest req) => File.Exists(req.FilePath) && new FileInfo(req.FilePath).Length > req.SqliteOneTransactionBytes;

    private enum Mode { OneTransaction, Check, Chunks }

    private static async Task<ImportResult> RunOnceAsync(TandemDb db, ImportRequest req, Mode mode, Action<double>? progress, CancellationToken ct)
    {
        var result = new ImportResult(Path.GetFileName(req.FilePath)) { DryRun = req.DryRun };
        if (req.Map.Entity is { } forEntity && !string.Equals(forEntity, req.Entity.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            result.FileError(0, $"the mapping is for {forEntity.ToLowerInvariant()}, not {req.Entity.ToString().ToLowerInvariant()}: import the file as {forEntity.ToLowerInvariant()}, or pick the preset for {req.Entity.ToString().ToLowerInvariant()}.");
            return result;
        }
        using var source = CsvSource.Open(req.FilePath, req.Map, result);
        if (source is null) return result;
        var ctx = new ImportContext(db, result) { Route = req.Route, Currency = req.Currency };
        var importer = Create(req.Entity, ctx);
        var bound = BoundMap.Bind(source.Header, req.Map, importer.Fields, result);
        if (bound is null) return result;

        db.Actor = ImportContext.Actor;
        var batchSize = mode == Mode.Chunks ? Math.Min(req.BatchSize, SqliteChunkRows) : req.BatchSize;
        await using var tx = mode == Mode.Chunks ? null : await db.Database.BeginTransactionAsync(ct);
        try
        {
            ctx.Channels = await MappedChannels.AddAsync(db, req.Map, result, ct);
            if (result.Fatal) return result;
            var first = true;
            await foreach (var batch in ReadAhead(source.Rows().Chunk(batchSize), ct))
            {
                if (mode == Mode.Chunks && !first) await Task.Delay(SqlitePause, ct);
                first = false;
                await using var chunk = mode == Mode.Chunks ? await db.Database.BeginTransactionAsync(ct) : null;
                var errorsBefore = result.ErrorCount;
                result.Rows += batch.Length;
                var rowValues = batch.Select(r => new RowValues(r, bound, result, importer.Stored).Check()).ToList();
                await importer.ImportBatchAsync(rowValues, ct);
                db.ChangeTracker.Clear();
                progress?.Invoke(source.Fraction);
                if (chunk is null) continue;
                if (result.ErrorCount > errorsBefore && !req.SkipInvalid)
                {
                    // The check passed, so a concurrent change refused this row: keep what is written, stop here.
                    await chunk.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    result.Partial = result.Written > 0;
                    return result;
                }
                await chunk.CommitAsync(ct);
                result.Written = result.Rows;
            }
        }
        catch (DbUpdateException e)
        {
            // Validation should catch everything first; if the database still refuses, say so rather than crash.
            result.FileError(0, $"the database refused a batch near line {result.Rows + 1}: {(e.InnerException ?? e).Message}");
            db.ChangeTracker.Clear();
            result.Partial = result.Written > 0;
        }

        if (ctx.DefaultedCurrency > 0)
            result.Warn(0, null, $"{ctx.DefaultedCurrency} rows name no currency; their amounts are taken to be in {req.Currency}, the company currency "
                + $"(Company:Currency, {CompanyOptions.CurrencyEnv}). Map a currency column or give \"defaults\": {{ \"currency\": \"…\" }} if they are not.");
        if (tx is null)
        {
            if (result.Fatal) return result;
            db.Activity.Add(Summary(db, req, result));
            await db.SaveChangesAsync(ct);
            result.Committed = true;
            return result;
        }
        if (mode == Mode.Check || req.DryRun || result.Fatal || (result.HasErrors && !req.SkipInvalid))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return result;
        }
        db.Activity.Add(Summary(db, req, result));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        result.Committed = true;
        return result;
    }

    /// <summary>
    /// The file is parsed on another thread, up to two batches ahead, while a batch is checked and written (decision 0096): parsing
    /// a large file takes about as long as inserting its rows. Only the parser runs there; every row is checked on the caller's thread.
    /// </summary>
    private static async IAsyncEnumerable<CsvRow[]> ReadAhead(IEnumerable<CsvRow[]> batches, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<CsvRow[]>(new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in batches) await channel.Writer.WriteAsync(batch, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e) { channel.Writer.TryComplete(e); }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct)) yield return batch;
        }
        finally
        {
            // Stopped early (an error, a cancellation): the parser is stopped before the caller disposes the file under it.
            await stop.CancelAsync();
            await reader;
        }
    }

    private static ActivityEntry Summary(TandemDb db, ImportRequest req, ImportResult r) => new()
    {
        At = db.UtcNow,
        Actor = ImportContext.Actor,
        SubjectKind = SubjectKind.Import,
        SubjectId = 0,
        Kind = "import.completed",
        Detail = JsonSerializer.Serialize(new
        {
            entity = req.Entity.ToString().ToLowerInvariant(), file = r.File, rows = r.Rows, created = r.Created, updated = r.Updated,
            unchanged = r.Unchanged, skipped = r.InvalidRows, errors = r.ErrorCount,
        }),
    };

    /// <summary>The fields an entity's importer reads, for the import page's choices.</summary>
    internal static IReadOnlyList<FieldDef> FieldsOf(ImportEntity entity) => Create(entity, null!).Fields;

    private static EntityImporter Create(ImportEntity entity, ImportContext ctx) => entity switch
    {
        ImportEntity.Accounts => new AccountImporter(ctx),
        ImportEntity.People => new PersonImporter(ctx),
        ImportEntity.Opportunities => new OpportunityImporter(ctx),
        ImportEntity.Campaigns => new CampaignImporter(ctx),
        ImportEntity.Users => new UserImporter(ctx),
        ImportEntity.Touches => new TouchImporter(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(entity)),
    };
}
