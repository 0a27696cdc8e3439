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
    bool Route = true, string Currency = "USD");

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
/// Runs one CSV import. The whole file is one transaction: without --skip-invalid any bad row rolls
/// everything back, and --dry-run always rolls back, so a failed or trial import leaves nothing half-written.
/// Rows are read and saved in batches with the change tracker cleared between them, so memory stays flat.
/// </summary>
public static class Importer
{
    public static async Task<ImportResult> RunAsync(TandemDb db, ImportRequest req, Action<double>? progress = null, CancellationToken ct = default)
    {
        var result = new ImportResult(Path.GetFileName(req.FilePath)) { DryRun = req.DryRun };
        using var source = CsvSource.Open(req.FilePath, req.Map, result);
        if (source is null) return result;
        var ctx = new ImportContext(db, result) { Route = req.Route, Currency = req.Currency };
        var importer = Create(req.Entity, ctx);
        var bound = BoundMap.Bind(source.Header, req.Map, importer.Fields, result);
        if (bound is null) return result;

        db.Actor = ImportContext.Actor;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            foreach (var batch in source.Rows().Chunk(req.BatchSize))
            {
                result.Rows += batch.Length;
                await importer.ImportBatchAsync(batch.Select(r => new RowValues(r, bound, result, importer.Stored).Check()).ToList(), ct);
                db.ChangeTracker.Clear();
                progress?.Invoke(source.Fraction);
            }
        }
        catch (DbUpdateException e)
        {
            // Validation should catch everything first; if the database still refuses, say so rather than crash.
            result.FileError(0, $"the database refused a batch near line {result.Rows + 1}: {(e.InnerException ?? e).Message}");
        }

        if (ctx.DefaultedCurrency > 0)
            result.Warn(0, null, $"{ctx.DefaultedCurrency} rows name no currency; their amounts are taken to be in {req.Currency}, the company currency "
                + $"(Company:Currency, {CompanyOptions.CurrencyEnv}). Map a currency column or give \"defaults\": {{ \"currency\": \"…\" }} if they are not.");
        if (req.DryRun || result.Fatal || (result.HasErrors && !req.SkipInvalid))
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
