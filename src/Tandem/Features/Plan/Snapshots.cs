using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Data;

namespace Tandem.Features.Plan;

/// <summary>Taking quarter snapshots: the validated deals of every rep, written once in one transaction.</summary>
public static class Snapshots
{
    /// <summary>The deals a snapshot of <paramref name="quarter"/> holds now: open, expected to close in the quarter (company
    /// zone), in a committed stage (every open stage when none is configured).</summary>
    public static async Task<List<SnapshotDeal>> ValidatedAsync(TandemDb db, Period quarter, PlanOptions options, CancellationToken ct)
    {
        var zone = options.Zone();
        var (from, to) = (Periods.Utc(quarter.Start, zone), Periods.Utc(quarter.End, zone));
        var q = db.Opportunities.AsNoTracking().Where(o => o.Outcome == Outcome.Open && o.ExpectedCloseAt >= from && o.ExpectedCloseAt < to);
        if (options.CommittedStages is { Length: > 0 } stages) q = q.Where(o => stages.Contains(o.SalesStage));
        return await q.OrderBy(o => o.Id).Select(o => new SnapshotDeal
        {
            OpportunityId = o.Id, OwnerId = o.OwnerId, Name = o.Name, Stage = o.SalesStage, AmountMinor = o.AmountMinor, Currency = o.Currency,
            ExpectedCloseAt = o.ExpectedCloseAt,
        }).ToListAsync(ct);
    }

    /// <summary>Writes a snapshot and its deals in one transaction. For <see cref="SnapshotKind.Auto"/>, null when another
    /// instance already took this quarter's (the unique index refused the second).</summary>
    public static async Task<PipelineSnapshot?> TakeAsync(TandemDb db, Period quarter, SnapshotKind kind, PlanOptions options, string? note,
        CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var snapshot = new PipelineSnapshot { Period = quarter.Label, Kind = kind, TakenAt = db.UtcNow, TakenBy = db.Actor, Note = note };
        db.PipelineSnapshots.Add(snapshot);
        try
        {
            await db.SaveChangesAsync(ct); // the unique index speaks here, before any deal is written
        }
        catch (DbUpdateException) when (kind == SnapshotKind.Auto)
        {
            db.ChangeTracker.Clear();
            return null;
        }
        var deals = await ValidatedAsync(db, quarter, options, ct);
        foreach (var d in deals) d.SnapshotId = snapshot.Id;
        db.SnapshotDeals.AddRange(deals);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return snapshot;
    }

    /// <summary>Takes this quarter's automatic snapshot if nobody has yet (any instance, any number of times: one snapshot).</summary>
    public static async Task<PipelineSnapshot?> EnsureQuarterStartAsync(TandemDb db, PlanOptions options, CancellationToken ct)
    {
        var quarter = Period.Quarter(Periods.Today(db.UtcNow, options.Zone()));
        if (await db.PipelineSnapshots.AnyAsync(s => s.Period == quarter.Label && s.Kind == SnapshotKind.Auto, ct)) return null;
        // A database with no deal at all (a new install, or one still being loaded) has nothing to commit yet: the next pass
        // takes the snapshot once deals exist, rather than an empty one that would stand for the whole quarter.
        if (!await db.Opportunities.AnyAsync(ct)) return null;
        var actor = db.Actor;
        db.Actor = "system:snapshot";
        try { return await TakeAsync(db, quarter, SnapshotKind.Auto, options, null, ct); }
        finally { db.Actor = actor; }
    }
}

/// <summary>Takes the quarter-start snapshot: at start, then every 15 minutes, on every instance (the database keeps it to one).</summary>
public sealed class SnapshotJob(Storage storage, TimeProvider clock, Microsoft.Extensions.Options.IOptions<PlanOptions> options, ILogger<SnapshotJob> log)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var db = storage.Open(clock);
                if (await Snapshots.EnsureQuarterStartAsync(db, options.Value, stoppingToken) is { } s)
                    log.LogInformation("Quarter-start snapshot of {Period} taken.", s.Period);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogError(e, "Taking the quarter-start snapshot failed; trying again in {Interval}.", Interval);
            }
            try { await Task.Delay(Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
